import { describe, expect, it } from 'vitest';
import { parseDuration, formatDuration } from '@/lib/engine/traffic/duration';
import { resolveStart, resolveTrafficOptions, type TrafficFlags } from '@/lib/engine/traffic/options';

const NOW = Date.parse('2026-11-23T12:00:00Z');
const base: TrafficFlags = {
  scenario: 'steady',
  rate: '200',
  duration: '60s',
  seed: '7',
  out: 'out/traffic',
  dekPolicy: 'cached',
  readRatio: '0.5',
  rewrapRate: '50',
  progress: false,
};

describe('durations', () => {
  it.each([
    ['500ms', 500],
    ['60s', 60_000],
    ['15m', 900_000],
    ['24h', 86_400_000],
    ['2d', 172_800_000],
    ['1.5h', 5_400_000],
    ['90', 90_000],
  ])('parses %s', (text, ms) => expect(parseDuration(text)).toBe(ms));

  it('rejects what is not a duration, naming it', () => {
    expect(() => parseDuration('soon')).toThrow(/"soon" is not a duration/);
    expect(() => parseDuration('10w')).toThrow(/not a duration/);
  });

  it('formats for humans', () => {
    expect(formatDuration(1500)).toBe('1.5s');
    expect(formatDuration(3_723_000)).toBe('1h 2m');
    expect(formatDuration(90_061_000)).toBe('1d 1h');
  });
});

describe('traffic options', () => {
  it('defaults to history that ends now, generated as fast as possible', () => {
    const o = resolveTrafficOptions(base, NOW);
    expect(o.startMs).toBe(NOW - 60_000);
    expect(o.speed).toBe('max');
    expect(o.rate).toBe(200);
    expect(o.seed).toBe(7);
  });

  it('runs in real time when it starts now', () => {
    const o = resolveTrafficOptions({ ...base, start: 'now' }, NOW);
    expect(o.startMs).toBe(NOW);
    expect(o.speed).toBe(1);
  });

  it('accepts ISO starts and relative offsets', () => {
    expect(resolveStart('2026-11-20T00:00:00Z', 0, NOW)).toBe(Date.parse('2026-11-20T00:00:00Z'));
    expect(resolveStart('-24h', 0, NOW)).toBe(NOW - 86_400_000);
    expect(() => resolveStart('yesterday', 0, NOW)).toThrow(/not an ISO time/);
  });

  it.each([
    [{ scenario: 'meteor' }, /scenario must be one of/],
    [{ rate: '-3' }, /rate must be greater than 0/],
    [{ rate: 'fast' }, /rate must be a number/],
    [{ duration: 'forever' }, /not a duration/],
    [{ seed: '1.5' }, /seed must be an integer/],
    [{ intake: 'not a url' }, /intake must be a URL/],
  ])('rejects bad flags with a message that says what is wrong: %o', (patch, message) => {
    expect(() => resolveTrafficOptions({ ...base, ...patch } as TrafficFlags, NOW)).toThrow(message);
  });
});
