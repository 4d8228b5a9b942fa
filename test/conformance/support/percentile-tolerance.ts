import { nearestRank, PERCENTILES } from '../../../lib/questions/latency-percentiles/definition';

/**
 * The stated tolerance for approximate percentiles (docs/elasticsearch.md): a backend's
 * p-th percentile of n values must lie between the values one rank below and one rank
 * above the exact nearest-rank answer, widened by 0.5% (Elasticsearch's HDR histogram with
 * 3 significant digits reports a bucket bound within 0.1%, and rounds the rank where
 * nearest-rank takes the ceiling). Returns the failures, empty when all are within.
 */
export function percentileMisses(
  actual: { count: number | null; p50: number | null; p95: number | null; p99: number | null },
  sortedValues: readonly number[],
  where: string,
): string[] {
  const n = sortedValues.length;
  if (n === 0) return actual.count === null && actual.p50 === null ? [] : [`${where}: expected an empty bucket, got ${JSON.stringify(actual)}`];
  const misses: string[] = [];
  if (actual.count !== n) misses.push(`${where}: count ${actual.count} != ${n}`);
  for (const p of PERCENTILES) {
    const rank = nearestRank(n, p.basisPoints);
    const low = sortedValues[Math.max(rank - 2, 0)]! * 0.995;
    const high = sortedValues[Math.min(rank, n - 1)]! * 1.005;
    const v = actual[p.key];
    if (v === null || v < low || v > high) misses.push(`${where}: ${p.key} ${v} outside [${low}, ${high}] (exact ${sortedValues[rank - 1]})`);
  }
  return misses;
}
