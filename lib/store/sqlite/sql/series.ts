export { frameOf, planFor } from '../../../questions/buckets';

/** Rows keyed by bucket start, for filling every bucket of the plan. */
export function byBucket<R extends { t: number }>(rows: readonly R[]): Map<number, R> {
  return new Map(rows.map((r) => [r.t, r]));
}
