import { DAY_MS } from './common';

const MIN = 60_000;
const HOUR = 60 * MIN;

/** Bucket widths a chart may use, smallest first. Each divides a day, so epoch-aligned buckets start at the same UTC times every day. */
export const BUCKETS_MS = [
  MIN, 2 * MIN, 5 * MIN, 10 * MIN, 15 * MIN, 30 * MIN,
  HOUR, 2 * HOUR, 3 * HOUR, 6 * HOUR, 12 * HOUR, DAY_MS,
] as const;

/** A chart shows fewer than this many buckets for any range up to the largest bucket's reach. */
export const MAX_POINTS = 360;

/**
 * The smallest bucket that keeps a range under MAX_POINTS buckets: 1m for an hour, 5m for
 * a day, 30m for a week, 3h for 30 days. Ranges beyond 360 days get daily buckets.
 */
export function chooseBucket(rangeMs: number): number {
  for (const b of BUCKETS_MS) if (rangeMs / b < MAX_POINTS) return b;
  return DAY_MS;
}

/**
 * The range widened outward to bucket boundaries (epoch-aligned, so UTC-aligned), so every
 * bucket is whole and the same range always yields the same buckets.
 */
export function alignRange(fromMs: number, toMs: number, bucketMs: number): { fromMs: number; toMs: number } {
  return { fromMs: Math.floor(fromMs / bucketMs) * bucketMs, toMs: Math.ceil(toMs / bucketMs) * bucketMs };
}

/** Every bucket start in an aligned range, so a series can show gaps for buckets without data. */
export function bucketStarts(fromMs: number, toMs: number, bucketMs: number): number[] {
  const out: number[] = [];
  for (let t = fromMs; t < toMs; t += bucketMs) out.push(t);
  return out;
}

/** Bucketing chosen for a range: the width, the aligned range and the bucket starts. */
export type BucketPlan = { bucketMs: number; fromMs: number; toMs: number; starts: number[] };

export function planBuckets(fromMs: number, toMs: number, bucketMs = chooseBucket(toMs - fromMs)): BucketPlan {
  const aligned = alignRange(fromMs, toMs, bucketMs);
  return { bucketMs, ...aligned, starts: bucketStarts(aligned.fromMs, aligned.toMs, bucketMs) };
}

/**
 * Lays sparse per-bucket values onto every bucket of the plan, with `empty` where a bucket
 * had no data, so charts draw a gap rather than a zero.
 */
export function fillBuckets<V, P>(plan: BucketPlan, values: ReadonlyMap<number, V>, point: (t: number, v: V | undefined) => P): P[] {
  return plan.starts.map((t) => point(t, values.get(t)));
}

/** The bucket plan of a series question's range (chooseBucket, aligned outward); every backend uses it. */
export function planFor(range: { from: string; to: string }): BucketPlan {
  return planBuckets(Date.parse(range.from), Date.parse(range.to));
}

/** The frame fields every series result carries. */
export function frameOf(plan: BucketPlan): { bucketMs: number; from: string; to: string } {
  return { bucketMs: plan.bucketMs, from: new Date(plan.fromMs).toISOString(), to: new Date(plan.toMs).toISOString() };
}
