import { planBuckets, type BucketPlan } from '../../../queries/buckets';
import { toIso, toMs, type TimeRange } from '../../../queries/common';

/** The bucket plan of a series question's range (chooseBucket, aligned outward). */
export function planFor(range: TimeRange): BucketPlan {
  return planBuckets(toMs(range.from), toMs(range.to));
}

/** The frame fields every series result carries. */
export function frameOf(plan: BucketPlan): { bucketMs: number; from: string; to: string } {
  return { bucketMs: plan.bucketMs, from: toIso(plan.fromMs), to: toIso(plan.toMs) };
}

/** Rows keyed by bucket start, for filling every bucket of the plan. */
export function byBucket<R extends { t: number }>(rows: readonly R[]): Map<number, R> {
  return new Map(rows.map((r) => [r.t, r]));
}
