import { fillBuckets } from '../../../queries/buckets';
import { toIso } from '../../../queries/common';
import { percentilesOfSorted, type LatencyPercentilesParams, type LatencyPercentilesResult } from '../../../queries/latency-percentiles';
import type { StatementCache } from '../statement-cache';
import { latencyBucketCountsSql, latencyValuesSql } from '../sql/latency';
import { frameOf, planFor } from './series';

/** Reads every latency in range into one typed array (8 bytes each), sized by the bucket counts. */
function readValues(cache: StatementCache, q: ReturnType<typeof latencyValuesSql>, expected: number): Float64Array {
  const values = new Float64Array(expected);
  let n = 0;
  for (const v of cache.column<number>(q)) {
    // The read transaction pins one snapshot, so the count cannot grow under us; guard anyway.
    if (n === values.length) throw new Error('latency rows changed during a read transaction');
    values[n++] = v;
  }
  return n === expected ? values : values.subarray(0, n);
}

export function readLatencyPercentiles(cache: StatementCache, p: LatencyPercentilesParams): LatencyPercentilesResult {
  const plan = planFor(p);
  const counts = cache.all<{ t: number; n: number }>(latencyBucketCountsSql(p.operation, p.filters, plan.fromMs, plan.toMs, plan.bucketMs));
  const total = counts.reduce((s, c) => s + c.n, 0);
  const values = readValues(cache, latencyValuesSql(p.operation, p.filters, plan.fromMs, plan.toMs), total);
  // Values arrive in time order, so each bucket is the next run of `n` values: sort it in place.
  const perBucket = new Map<number, ReturnType<typeof percentilesOfSorted>>();
  let offset = 0;
  for (const c of counts) {
    perBucket.set(c.t, percentilesOfSorted(values.subarray(offset, offset + c.n).sort()));
    offset += c.n;
  }
  return {
    operation: p.operation,
    method: 'exact',
    ...frameOf(plan),
    points: fillBuckets(plan, perBucket, (t, v) => ({ t: toIso(t), ...(v ?? percentilesOfSorted([])) })),
    overall: percentilesOfSorted(values.sort()),
  };
}
