import { MAX_EXACT_ROWS } from '../cost';
import { AGGREGATE_ROLES } from '../../auth/roles';
import { z } from 'zod';
import { KEY_OPERATION_KINDS } from '../../model/key-operation';
import { FiltersSchema, IsoTime, NullableCount, SeriesFrameShape, checkTimeRange, timeRangeShape } from '../common';
import { defineQuestion, type ParamsOf, type ResultOf } from '../define';

/**
 * Percentiles are exact, by the nearest-rank method: the p-th percentile of n sorted values
 * is the value at 1-based rank ceil(p/100 * n). It is always an observed latency, and it
 * is computed with integer arithmetic (basis points) so every backend and every test gets
 * the same rank without floating-point drift.
 */
export const PERCENTILES = [
  { key: 'p50', basisPoints: 5000 },
  { key: 'p95', basisPoints: 9500 },
  { key: 'p99', basisPoints: 9900 },
] as const;

/** 1-based nearest rank of the percentile given in basis points (9500 = p95) among n values. */
export function nearestRank(n: number, basisPoints: number): number {
  return Math.floor((basisPoints * n + 9999) / 10000);
}

export type PercentileValues = { count: number | null; p50: number | null; p95: number | null; p99: number | null };

/** count/p50/p95/p99 of ascending-sorted values; all null when there are none (a gap). */
export function percentilesOfSorted(sorted: ArrayLike<number>): PercentileValues {
  const n = sorted.length;
  if (n === 0) return { count: null, p50: null, p95: null, p99: null };
  const at = (basisPoints: number): number => sorted[nearestRank(n, basisPoints) - 1]!;
  return { count: n, p50: at(5000), p95: at(9500), p99: at(9900) };
}

/**
 * How a backend computed its percentiles, so that the page can say so: `exact` is the
 * nearest-rank value above; `hdr` an HDR histogram's answer with 3 significant digits
 * (Elasticsearch), an observed value's bucket within 0.1% of it.
 */
export const PERCENTILE_METHODS = ['exact', 'hdr'] as const;
export type PercentileMethod = (typeof PERCENTILE_METHODS)[number];

const Latency = z.number().nonnegative().nullable();
const PercentilesShape = { count: NullableCount, p50: Latency, p95: Latency, p99: Latency };

export const latencyPercentilesQuestion = defineQuestion({
  name: 'latencyPercentiles',
  audience: AGGREGATE_ROLES,
  cost: { maxRows: MAX_EXACT_ROWS },
  description: 'p50/p95/p99 latency and count per bucket for one operation, exact (nearest-rank) or HDR as `method` says; null where a bucket is empty.',
  params: z
    .object({ ...timeRangeShape, operation: z.enum(KEY_OPERATION_KINDS).default('unwrap'), filters: FiltersSchema.default({}) })
    .strict()
    .superRefine(checkTimeRange),
  result: z.object({
    operation: z.enum(KEY_OPERATION_KINDS),
    method: z.enum(PERCENTILE_METHODS),
    ...SeriesFrameShape,
    points: z.array(z.object({ t: IsoTime, ...PercentilesShape })),
    /** Over the whole aligned range (not an average of the buckets). */
    overall: z.object(PercentilesShape),
  }),
});
export type LatencyPercentilesParams = ParamsOf<typeof latencyPercentilesQuestion>;
export type LatencyPercentilesResult = ResultOf<typeof latencyPercentilesQuestion>;
