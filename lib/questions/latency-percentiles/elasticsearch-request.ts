import type { estypes } from '@elastic/elasticsearch';
import type { KeyOperationKind } from '../../model/key-operation';
import type { Filters } from '../common';
import { PERCENTILES, type PercentileValues } from './definition';
import { F, SEARCH_DEFAULTS, histogram, operationFilters, term, timeRange } from '../../store/elasticsearch/queries/common';

/**
 * HDR histogram percentiles with 3 significant digits rather than the default t-digest:
 * HDR reports an observed value's bucket (like the exact nearest-rank answer sqlite gives)
 * within 0.1%, where t-digest interpolates between values and drifts on small samples.
 */
const percentiles = (): estypes.AggregationsPercentilesAggregation => ({
  field: F.latency,
  percents: PERCENTILES.map((p) => p.basisPoints / 100),
  hdr: { number_of_significant_value_digits: 3 },
  keyed: false,
});

export function latencyRequest(operation: KeyOperationKind, filters: Filters, fromMs: number, toMs: number, bucketMs: number, index: string): estypes.SearchRequest {
  return {
    index, ...SEARCH_DEFAULTS,
    query: { bool: { filter: [term(F.action, operation), timeRange(fromMs, toMs), ...operationFilters(filters)] } },
    aggs: {
      t: { date_histogram: histogram(bucketMs), aggs: { p: { percentiles: percentiles() } } },
      overall: { percentiles: percentiles() },
    },
  };
}

/** count/p50/p95/p99 from a percentiles aggregate over `count` documents (all null when none). */
export function percentileValues(agg: unknown, count: number): PercentileValues {
  if (count === 0) return { count: null, p50: null, p95: null, p99: null };
  const values = (agg as estypes.AggregationsPercentilesAggregateBase).values as estypes.AggregationsArrayPercentilesItem[];
  const at = (basisPoints: number): number | null => values.find((v) => Math.round(Number(v.key) * 100) === basisPoints)?.value ?? null;
  return { count, p50: at(5000), p95: at(9500), p99: at(9900) };
}
