import { describe, expect, it } from 'vitest';
import { addDays, advanceCursor, cursorThrough, dayKeyPrefix, lastClosedDay } from '../../ingest/sources/cloudtrail-files/trail-cursor';
import { trailPrefixOf } from '../../ingest/sources/cloudtrail-files/trail-path';

describe('when a trail day is complete', () => {
  it('closes the days more than the lookback before today (UTC)', () => {
    expect(lastClosedDay(new Date('2026-06-10T00:00:01Z'), 1)).toBe('2026-06-08');
    expect(lastClosedDay(new Date('2026-06-10T23:59:59Z'), 1)).toBe('2026-06-08');
    expect(lastClosedDay(new Date('2026-03-01T12:00:00Z'), 2)).toBe('2026-02-26');
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2027-01-01', -1)).toBe('2026-12-31');
  });

  it('moves the cursor to the last closed day, stops before an open day, never moves back or idles', () => {
    const listed = ['2026-06-01', '2026-06-05', '2026-06-09'];
    expect(advanceCursor(null, '2026-06-08', listed, [])).toBe('2026-06-08');
    expect(advanceCursor(null, '2026-06-08', listed, ['2026-06-05', '2026-06-09'])).toBe('2026-06-04');
    expect(advanceCursor('2026-05-31', '2026-06-08', listed, ['2026-06-01'])).toBeNull();
    expect(advanceCursor('2026-06-08', '2026-06-07', [], [])).toBeNull();
    // Nothing listed would close: no write.
    expect(advanceCursor(null, '2026-06-08', ['2026-06-09', '2026-06-10'], [])).toBeNull();
  });

  it('reads a stored cursor liberally and the day folder prefix exactly', () => {
    expect(cursorThrough({ through: '2026-06-08', trail: 'x' })).toBe('2026-06-08');
    for (const bad of [null, 3, 'x', [], { through: 'June' }]) expect(cursorThrough(bad)).toBeNull();
    expect(dayKeyPrefix('/t/AWSLogs/111122223333/CloudTrail/us-east-1', '2026-06-08')).toBe('/t/AWSLogs/111122223333/CloudTrail/us-east-1/2026/06/08/');
  });
});

describe('trail prefixes', () => {
  it.each([
    ['/x/AWSLogs/111122223333/CloudTrail/us-east-1', { organizationId: null, accountId: '111122223333', region: 'us-east-1' }],
    ['/x/AWSLogs/o-abcdefghij/111122223333/CloudTrail/eu-west-1/', { organizationId: 'o-abcdefghij', accountId: '111122223333', region: 'eu-west-1' }],
    ['/x/AWSLogs/111122223333/CloudTrail-Digest/us-east-1', null],
    ['/x/AWSLogs/111122223333/CloudTrail', null],
    ['/x/logs/111122223333/CloudTrail/us-east-1', null],
    ['/x/AWSLogs/o-abcdefghij/x/111122223333/CloudTrail/us-east-1', null],
    ['/x/AWSLogs/111122223333/CloudTrail/us-east-1/2026', null],
  ])('%s', (dir, expected) => {
    expect(trailPrefixOf(dir)).toEqual(expected);
  });
});
