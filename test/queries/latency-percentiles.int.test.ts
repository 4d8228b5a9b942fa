import { describe, expect, it } from 'vitest';
import type { KeyOperation, KeyOperationKind } from '../../lib/model/key-operation';
import { latencyPercentilesQuestion, type LatencyPercentilesResult } from '../../lib/questions/latency-percentiles/definition';
import { KEKS, SERVICES, seededUuid } from '../support/key-operation-generator';
import { SeededRandom } from '../../lib/engine/random';
import { BACKENDS, type BackendName } from '../conformance/support/backends';
import { percentileMisses } from '../conformance/support/percentile-tolerance';
import { GAP, MIN, RANGE, T0, expectedStarts, groupByBucket, iso, ms, onCallFixture } from '../support/on-call-fixture';
import { useOnCallStore } from '../support/on-call-store';
import { latencyPercentiles } from '../../lib/questions/registry';

const { ops } = onCallFixture();

/** Nearest rank, written independently: the value at 1-based rank ceil(p/100 * n) of the sorted values. */
function nearest(sorted: number[], p: number): number {
  return sorted[Math.ceil((p * sorted.length) / 100) - 1]!;
}

const sortedLatencies = (list: KeyOperation[] | undefined): number[] => (list ?? []).map((o) => o.latencyMs).sort((a, b) => a - b);

function stats(v: number[]) {
  if (v.length === 0) return { count: null, p50: null, p95: null, p99: null };
  return { count: v.length, p50: nearest(v, 50), p95: nearest(v, 95), p99: nearest(v, 99) };
}

/** Per bucket and overall: the sorted latencies, and the exact nearest-rank answer. */
function expected(operation: KeyOperationKind, fromMs: number, toMs: number, bucketMs: number, keep: (o: KeyOperation) => boolean = () => true) {
  const starts = expectedStarts(fromMs, toMs, bucketMs);
  const end = starts[starts.length - 1]! + bucketMs;
  const rows = ops.filter((o) => o.operation === operation && keep(o) && ms(o.time) >= starts[0]! && ms(o.time) < end);
  const groups = groupByBucket(rows, (o) => ms(o.time), bucketMs);
  const values = starts.map((t) => sortedLatencies(groups.get(t)));
  const all = sortedLatencies(rows);
  return { starts, values, all, points: starts.map((t, i) => ({ t: iso(t), ...stats(values[i]!) })), overall: stats(all) };
}

type Result = LatencyPercentilesResult;

/**
 * sqlite answers exactly; Elasticsearch's HDR answer must lie within the stated tolerance of
 * the exact one (test/conformance/support/percentile-tolerance.ts), with exact counts.
 */
function expectAnswer(backend: BackendName, r: Result, e: ReturnType<typeof expected>) {
  expect(r.method).toBe(backend === 'sqlite' ? 'exact' : 'hdr');
  expect(r.points.map((p) => p.t)).toEqual(e.starts.map(iso));
  if (r.method === 'exact') {
    expect(r.points).toEqual(e.points);
    expect(r.overall).toEqual(e.overall);
    return;
  }
  const misses = [...r.points.flatMap((p, i) => percentileMisses(p, e.values[i]!, p.t)), ...percentileMisses(r.overall, e.all, 'overall')];
  expect(misses).toEqual([]);
}

describe.each(BACKENDS)('%s: latencyPercentiles (nearest rank; HDR within tolerance)', (backend) => {
  const { store } = useOnCallStore(backend);
  const ask = async (input: Record<string, unknown>) =>
    latencyPercentilesQuestion.result.parse(await store().answer(latencyPercentiles, latencyPercentilesQuestion.params.parse(input)));

  it('unwrap by default: every bucket and the whole range match', async () => {
    const r = await ask({ from: iso(RANGE.fromMs), to: iso(RANGE.toMs) });
    expect(r.operation).toBe('unwrap');
    expect(r.bucketMs).toBe(2 * MIN);
    expectAnswer(backend, r, expected('unwrap', RANGE.fromMs, RANGE.toMs, 2 * MIN));
    const gap = r.points.filter((p) => ms(p.t) >= GAP.fromMs && ms(p.t) < GAP.toMs);
    expect(gap.every((p) => p.count === null && p.p50 === null && p.p99 === null)).toBe(true);
  });

  it('other operations, filters and one-minute buckets', async () => {
    const from = T0 + 3 * 60 * MIN + 20_000;
    const to = from + 45 * MIN;
    const keep = (o: KeyOperation) => o.service === SERVICES[2] && o.kekId === KEKS[1];
    const r = await ask({ from: iso(from), to: iso(to), operation: 'decrypt', filters: { service: SERVICES[2], kekId: KEKS[1] } });
    expect(r.bucketMs).toBe(MIN);
    const e = expected('decrypt', from, to, MIN, keep);
    expect(e.all.length).toBeGreaterThan(0);
    expectAnswer(backend, r, e);
  });

  it('small samples: one value is every percentile; ties resolve to the observed value', async () => {
    const t = Date.UTC(2026, 5, 1);
    const r = new SeededRandom(5);
    const mk = (offsetMs: number, latencyMs: number): KeyOperation => ({
      ...ops[0]!, id: seededUuid(r), time: iso(t + offsetMs), operation: 'rewrap', outcome: 'success', errorClass: null, errorCode: null, latencyMs,
    });
    // Bucket 1: one value. Bucket 2: [1, 2, 2, 2, 9] (p50 = 2, p95 = p99 = 9). Bucket 3: 20 values 1..20 (p95 = 19, p99 = 20).
    const fresh = [mk(5_000, 7.5), ...[1, 2, 2, 2, 9].map((v, i) => mk(MIN + i * 1000, v)), ...Array.from({ length: 20 }, (_, i) => mk(2 * MIN + i * 1000, 20 - i))];
    await store().writeBatch({ keyOperations: fresh });
    const res = await ask({ from: iso(t), to: iso(t + 3 * MIN), operation: 'rewrap' });
    if (res.method === 'hdr') {
      const buckets = [[7.5], [1, 2, 2, 2, 9], Array.from({ length: 20 }, (_, i) => i + 1)];
      const all = buckets.flat().sort((x, y) => x - y);
      expect([...res.points.flatMap((p, i) => percentileMisses(p, buckets[i]!, p.t)), ...percentileMisses(res.overall, all, 'overall')]).toEqual([]);
      return;
    }
    expect(res.points).toEqual([
      { t: iso(t), count: 1, p50: 7.5, p95: 7.5, p99: 7.5 },
      { t: iso(t + MIN), count: 5, p50: 2, p95: 9, p99: 9 },
      { t: iso(t + 2 * MIN), count: 20, p50: 10, p95: 19, p99: 20 },
    ]);
    // Overall sorted: 1 1 2 2 2 2 3 4 5 6 7 7.5 8 …: rank 13 of 26 is 8.
    expect(res.overall).toEqual({ count: 26, p50: 8, p95: 19, p99: 20 });
  });

  it('an empty selection is all gaps', async () => {
    const r = await ask({ from: iso(RANGE.fromMs), to: iso(RANGE.toMs), filters: { tenant: 'nobody' } });
    expect(r.points.every((p) => p.count === null)).toBe(true);
    expect(r.overall).toEqual({ count: null, p50: null, p95: null, p99: null });
  });
});
