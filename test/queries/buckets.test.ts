import { describe, expect, it } from 'vitest';
import { BUCKETS_MS, MAX_POINTS, alignRange, bucketStarts, chooseBucket, planBuckets } from '../../lib/questions/buckets';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

describe('chooseBucket', () => {
  it('picks the documented widths for common ranges', () => {
    expect(chooseBucket(HOUR)).toBe(MIN);
    expect(chooseBucket(6 * HOUR)).toBe(2 * MIN);
    expect(chooseBucket(DAY)).toBe(5 * MIN);
    expect(chooseBucket(7 * DAY)).toBe(30 * MIN);
    expect(chooseBucket(30 * DAY)).toBe(3 * HOUR);
    expect(chooseBucket(90 * DAY)).toBe(12 * HOUR);
    expect(chooseBucket(400 * DAY)).toBe(DAY);
  });

  it('keeps every range up to 359 days within the point budget, with the smallest such bucket', () => {
    for (let range = MIN; range <= 359 * DAY; range = Math.ceil(range * 1.07)) {
      const b = chooseBucket(range);
      // Aligned outward, a range touches at most one bucket more than it spans.
      const { fromMs, toMs } = alignRange(1_234_567, 1_234_567 + range, b);
      expect((toMs - fromMs) / b).toBeLessThanOrEqual(MAX_POINTS + 1);
      const smaller = BUCKETS_MS.filter((x) => x < b);
      for (const s of smaller) expect(range / s).toBeGreaterThanOrEqual(MAX_POINTS);
    }
  });
});

describe('bucket alignment', () => {
  it('widens a range outward to epoch-aligned boundaries', () => {
    const from = Date.UTC(2026, 2, 1, 10, 7, 30);
    const to = Date.UTC(2026, 2, 1, 11, 0, 10);
    expect(alignRange(from, to, 5 * MIN)).toEqual({ fromMs: Date.UTC(2026, 2, 1, 10, 5), toMs: Date.UTC(2026, 2, 1, 11, 5) });
    expect(alignRange(Date.UTC(2026, 2, 1, 1), Date.UTC(2026, 2, 2, 1), DAY)).toEqual({ fromMs: Date.UTC(2026, 2, 1), toMs: Date.UTC(2026, 2, 3) });
  });

  it('lists every bucket start, and 3h buckets fall on UTC multiples of 3 hours', () => {
    expect(bucketStarts(0, 3 * MIN, MIN)).toEqual([0, MIN, 2 * MIN]);
    const plan = planBuckets(Date.UTC(2026, 2, 1, 4, 30), Date.UTC(2026, 2, 31, 4, 30));
    expect(plan.bucketMs).toBe(3 * HOUR);
    expect(new Date(plan.starts[0]!).toISOString()).toBe('2026-03-01T03:00:00.000Z');
    expect(plan.starts.every((t) => new Date(t).getUTCHours() % 3 === 0)).toBe(true);
    expect(plan.starts).toHaveLength(241);
  });
});
