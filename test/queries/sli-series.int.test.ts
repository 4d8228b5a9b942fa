import { describe, expect, it } from 'vitest';
import type { KeyOperation } from '../../lib/model/key-operation';
import { sliSeriesQuestion, type SliSeriesParams } from '../../lib/questions/sli-series/definition';
import { BACKENDS } from '../conformance/support/backends';
import { KEKS, SERVICES, TENANTS } from '../support/key-operation-generator';
import { GAP, HOUR, MIN, RANGE, T0, expectedStarts, groupByBucket, iso, ms, onCallFixture } from '../support/on-call-fixture';
import { useOnCallStore } from '../support/on-call-store';
import { sliSeries } from '../../lib/questions/registry';

const { ops } = onCallFixture();

type Spec = Pick<SliSeriesParams, 'sli' | 'thresholdMs'>;

/** good/total of one operation under an SLI, written out plainly from the SLI definitions. */
function judge(o: KeyOperation, spec: Spec): { good: number; total: number } {
  if (o.operation !== 'unwrap') return { good: 0, total: 0 };
  if (spec.sli === 'unwrap_success') return { good: o.outcome === 'success' ? 1 : 0, total: 1 };
  if (spec.sli === 'unwrap_latency') return { good: o.latencyMs <= spec.thresholdMs! ? 1 : 0, total: 1 };
  return o.cacheHit === null ? { good: 0, total: 0 } : { good: o.cacheHit ? 1 : 0, total: 1 };
}

function expected(spec: Spec, fromMs: number, toMs: number, bucketMs: number, keep: (o: KeyOperation) => boolean = () => true) {
  const starts = expectedStarts(fromMs, toMs, bucketMs);
  const inRange = ops.filter((o) => keep(o) && ms(o.time) >= starts[0]! && ms(o.time) < starts[starts.length - 1]! + bucketMs);
  const groups = groupByBucket(inRange, (o) => ms(o.time), bucketMs);
  return starts.map((t) => {
    let good = 0;
    let total = 0;
    for (const o of groups.get(t) ?? []) {
      const j = judge(o, spec);
      good += j.good;
      total += j.total;
    }
    return total === 0 ? { t: iso(t), good: null, total: null, ratio: null } : { t: iso(t), good, total, ratio: good / total };
  });
}

describe.each(BACKENDS)('%s: sliSeries', (backend) => {
  const { store } = useOnCallStore(backend);
  const ask = async (input: Record<string, unknown>) => sliSeriesQuestion.result.parse(await store().answer(sliSeries, sliSeriesQuestion.params.parse(input)));

  const specs: Spec[] = [
    { sli: 'unwrap_success' },
    { sli: 'unwrap_latency', thresholdMs: 200 }, // a rollup column
    { sli: 'unwrap_latency', thresholdMs: 180 }, // raw rows
    { sli: 'unwrap_latency', thresholdMs: 24.5 }, // raw rows, a threshold equal to some latencies
    { sli: 'cache_hit' },
  ];

  for (const spec of specs) {
    it(`${spec.sli}${spec.thresholdMs ? ` <= ${spec.thresholdMs} ms` : ''}: every 2-minute bucket of 6 hours, gaps as null`, async () => {
      const r = await ask({ from: iso(RANGE.fromMs), to: iso(RANGE.toMs), ...spec });
      expect(r.bucketMs).toBe(2 * MIN);
      expect(r.points).toHaveLength(180);
      expect(r.points).toEqual(expected(spec, RANGE.fromMs, RANGE.toMs, 2 * MIN));
      const gap = r.points.filter((p) => ms(p.t) >= GAP.fromMs && ms(p.t) < GAP.toMs);
      expect(gap).toHaveLength(15);
      expect(gap.every((p) => p.good === null && p.total === null && p.ratio === null)).toBe(true);
      const good = r.points.reduce((s, p) => s + (p.good ?? 0), 0);
      const total = r.points.reduce((s, p) => s + (p.total ?? 0), 0);
      expect(r.summary).toEqual({ good, total, ratio: good / total });
    });
  }

  it('aligns an unaligned range outward to whole buckets', async () => {
    const from = T0 + 7 * MIN + 30_000;
    const to = T0 + 52 * MIN + 10_000;
    const r = await ask({ from: iso(from), to: iso(to), sli: 'unwrap_success' });
    expect(r.bucketMs).toBe(MIN);
    expect(r.from).toBe(iso(T0 + 7 * MIN));
    expect(r.to).toBe(iso(T0 + 53 * MIN));
    expect(r.points).toEqual(expected({ sli: 'unwrap_success' }, from, to, MIN));
  });

  it('narrows by service, by tenant and KEK, and finds nothing for an unknown service', async () => {
    const service = SERVICES[1];
    const bySvc = await ask({ from: iso(RANGE.fromMs), to: iso(RANGE.toMs), sli: 'cache_hit', filters: { service } });
    expect(bySvc.points).toEqual(expected({ sli: 'cache_hit' }, RANGE.fromMs, RANGE.toMs, 2 * MIN, (o) => o.service === service));
    const filters = { tenant: TENANTS[0], kekId: KEKS[0] };
    const both = await ask({ from: iso(RANGE.fromMs), to: iso(RANGE.toMs), sli: 'unwrap_latency', thresholdMs: 100, filters });
    expect(both.points).toEqual(
      expected({ sli: 'unwrap_latency', thresholdMs: 100 }, RANGE.fromMs, RANGE.toMs, 2 * MIN, (o) => o.tenant === filters.tenant && o.kekId === filters.kekId),
    );
    expect(both.summary.total).toBeGreaterThan(0);
    const none = await ask({ from: iso(RANGE.fromMs), to: iso(RANGE.toMs), sli: 'unwrap_success', filters: { service: 'no-such-service' } });
    expect(none.points.every((p) => p.total === null)).toBe(true);
    expect(none.summary).toEqual({ good: 0, total: 0, ratio: null });
  });

  it('reads hourly rollups for a 30-day range (3-hour buckets) with the same counts', async () => {
    const spec: Spec = { sli: 'unwrap_success' };
    const r = await ask({ from: iso(T0 - 10 * 24 * HOUR), to: iso(T0 + 20 * 24 * HOUR), ...spec });
    expect(r.bucketMs).toBe(3 * HOUR);
    expect(r.points).toHaveLength(240);
    expect(r.points).toEqual(expected(spec, T0 - 10 * 24 * HOUR, T0 + 20 * 24 * HOUR, 3 * HOUR));
    expect(r.points.filter((p) => p.total !== null)).toHaveLength(2);
  });

  it('requires a threshold for the latency SLI and a forward range', () => {
    expect(() => sliSeriesQuestion.params.parse({ from: iso(T0), to: iso(T0 + HOUR), sli: 'unwrap_latency' })).toThrow(/thresholdMs/);
    expect(() => sliSeriesQuestion.params.parse({ from: iso(T0), to: iso(T0), sli: 'cache_hit' })).toThrow(/after/);
  });
});
