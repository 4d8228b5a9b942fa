import { describe, expect, it } from 'vitest';
import { prepareFailureBars } from '../../lib/dashboard/charts/failure-bars';
import { prepareLatencySeries } from '../../lib/dashboard/charts/latency-series';
import { niceScale, ratioTicks } from '../../lib/dashboard/charts/nice-scale';
import { prepareRatioSeries } from '../../lib/dashboard/charts/ratio-series';
import { prepareThrottlingSeries } from '../../lib/dashboard/charts/throttling-series';
import { isolatedPoints, timeTicks } from '../../lib/dashboard/charts/time-rows';

const T0 = Date.UTC(2026, 2, 2, 10);
const MIN = 60_000;
const iso = (ms: number) => new Date(ms).toISOString();
const frame = { bucketMs: MIN, from: iso(T0), to: iso(T0 + 5 * MIN) };

describe('chart preparers', () => {
  it('keep empty buckets as null (a gap), never 0', () => {
    const points = [0, 1, 2, 3, 4].map((i) => ({ t: iso(T0 + i * MIN), count: i === 2 ? null : 3, p50: i === 2 ? null : 10, p95: i === 2 ? null : 20, p99: i === 2 ? null : 30 }));
    const s = prepareLatencySeries({ operation: 'unwrap', method: 'exact', ...frame, points, overall: { count: 12, p50: 10, p95: 20, p99: 30 } }, 200);
    expect(s.rows.map((r) => r.p95)).toEqual([20, 20, null, 20, 20]);
    expect(s.rows[0]!.t).toBe(T0);
    expect(s.empty).toBe(false);
    // The reference line is always inside the axis.
    expect(s.y.max).toBeGreaterThanOrEqual(200);
  });

  it('say "empty" when every bucket is a gap', () => {
    const points = [0, 1].map((i) => ({ t: iso(T0 + i * MIN), good: null, total: null, ratio: null }));
    const s = prepareRatioSeries({ sli: 'unwrap_success', thresholdMs: null, ...frame, points, summary: { good: 0, total: 0, ratio: null } }, 0.9995);
    expect(s.empty).toBe(true);
  });

  it('zoom the ratio axis to show both the data and the objective', () => {
    const points = [0, 1].map((i) => ({ t: iso(T0 + i * MIN), good: 99, total: 100, ratio: i === 0 ? 0.999 : 0.5 }));
    const s = prepareRatioSeries({ sli: 'unwrap_success', thresholdMs: null, ...frame, points, summary: { good: 198, total: 200, ratio: 0.99 } }, 0.9995);
    expect(s.yMin).toBeLessThanOrEqual(0.5);
    expect(s.ticks.at(-1)).toBe(1);
    expect(s.ticks.length).toBeLessThanOrEqual(8);
  });

  it('fold the rest into an "other" bar and say how much was cut', () => {
    const bars = prepareFailureBars({
      by: 'kekId',
      rows: [{ key: 'arn:aws:kms:eu-west-1:111122223333:key/0987dcba-09fe-87dc-65ba-ab0987654321', count: 5, share: 0.5 }],
      other: { count: 5, groups: 3, share: 0.5 },
      total: 10,
    });
    expect(bars.bars.map((b) => [b.label, b.isOther])).toEqual([['0987dcba-09fe-87dc-65ba-ab0987654321', false], ['other (3 more)', true]]);
    expect(bars.truncated).toEqual({ groups: 3, count: 5 });
  });

  it('join the two throttling series by bucket, each with its own gaps', () => {
    const s = prepareThrottlingSeries({
      ...frame,
      operations: [{ t: iso(T0), count: 2 }, { t: iso(T0 + MIN), count: null }],
      auditEvents: [{ t: iso(T0), count: null }, { t: iso(T0 + MIN), count: 0 }],
      totals: { operations: 2, auditEvents: 0 },
      auditFiltersIgnored: [],
    });
    expect(s.rows).toEqual([{ t: T0, operations: 2, auditEvents: null }, { t: T0 + MIN, operations: null, auditEvents: 0 }]);
  });

  it('mark lone points so a bucket between gaps still shows', () => {
    const rows = [1, null, 2, null, 3, 4].map((v, i) => ({ t: i, v }));
    expect([...isolatedPoints(rows, 'v')]).toEqual([0, 2]);
  });

  it('place time ticks on whole UTC steps, at most eight', () => {
    const ticks = timeTicks({ fromMs: T0 + 7 * MIN, toMs: T0 + 127 * MIN });
    expect(ticks.length).toBeLessThanOrEqual(8);
    expect(ticks.every((t) => t % (15 * MIN) === 0)).toBe(true);
  });

  it('round axis maxima and ticks', () => {
    expect(niceScale(1379)).toEqual({ max: 1500, ticks: [0, 500, 1000, 1500] });
    expect(niceScale(0)).toEqual({ max: 1, ticks: [0, 1] });
    expect(ratioTicks(0.999, 0.0005)).toEqual([0.999, 0.9995, 1]);
  });
});
