import { fillBuckets, frameOf, type BucketPlan } from '../buckets';
import { toIso } from '../common';
import type { AuditHistogramResult } from './definition';

export type BucketCounts = { count: number; failures: number };

/**
 * Per-bucket counts laid onto every bucket of the plan (lib/questions/buckets.ts planFor);
 * a bucket without events is zeros, not a gap (an audit trail has none to show). Events
 * are counted in [from, to) as asked, so `total` is the search's own total.
 */
export function histogramOf(plan: BucketPlan, values: ReadonlyMap<number, BucketCounts>): AuditHistogramResult {
  let total = 0;
  const points = fillBuckets(plan, values, (t, v) => {
    total += v?.count ?? 0;
    return { t: toIso(t), success: v === undefined ? 0 : v.count - v.failures, failure: v?.failures ?? 0 };
  });
  return { ...frameOf(plan), points, total };
}
