import { describe, expect, it } from 'vitest';
import { timeProblem } from '../../lib/model/time-window';

const NOW = Date.parse('2026-12-02T12:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString();
const MIN = 60_000;
const DAY = 1440 * MIN;

describe('times from outside are bounded', () => {
  it.each<[string, number, 'live' | 'import', RegExp | null]>([
    ['now', NOW, 'live', null],
    ['4 min ahead (within the skew)', NOW + 4 * MIN, 'live', null],
    ['6 min ahead', NOW + 6 * MIN, 'live', /is 6 min ahead of the server clock \(at most 5 min allowed/],
    ['year 9999, on import too', Date.parse('9999-01-01T00:00:00Z'), 'import', /years ahead of the server clock/],
    ['399 days old, live', NOW - 399 * DAY, 'live', null],
    ['401 days old, live', NOW - 401 * DAY, 'live', /older than live sources accept \(400 days; KEYSCOPE_LIVE_RETENTION_DAYS\): load history with `ingest import`/],
    ['5 years old, import', NOW - 5 * 365 * DAY, 'import', null],
    ['2010-01-01, import', Date.parse('2010-01-01T00:00:00Z'), 'import', null],
    ['2009-12-31, import', Date.parse('2009-12-31T23:59:59Z'), 'import', /before 2010-01-01/],
  ])('%s', (_what, t, mode, reason) => {
    const got = timeProblem('eventTime', iso(t), NOW, mode);
    if (reason === null) expect(got).toBeNull();
    else expect(got).toMatch(reason);
  });

  it('takes other bounds', () => {
    expect(timeProblem('time', iso(NOW + 2 * MIN), NOW, 'live', { futureSkewMs: MIN, liveRetentionMs: DAY })).toMatch(/at most 60 s allowed/);
    expect(timeProblem('time', iso(NOW - 2 * DAY), NOW, 'live', { futureSkewMs: MIN, liveRetentionMs: DAY })).toMatch(/older than live sources accept \(24 h/);
  });
});
