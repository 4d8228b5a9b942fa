import type { estypes } from '@elastic/elasticsearch';
import type { Filters } from '../../../questions/common';
import type { SliSpec } from '../../../questions/sli-series/definition';
import { F, operationFilters, term, timeRange, type Query, SEARCH_DEFAULTS, histogram } from './common';

/** Good and total events of an SLI as filters over unwrap operations (total null: every unwrap). */
export function sliFilters(spec: SliSpec): { good: Query; total: Query | null } {
  switch (spec.sli) {
    case 'unwrap_success':
      return { good: term(F.outcome, 'success'), total: null };
    case 'cache_hit':
      return { good: term(F.cacheHit, true), total: { exists: { field: F.cacheHit } } };
    case 'unwrap_latency':
      return { good: { range: { [F.latency]: { lte: spec.thresholdMs ?? 0 } } }, total: null };
  }
}

function unwrapsIn(filters: Filters, fromMs: number, toMs: number): Query {
  return { bool: { filter: [term(F.action, 'unwrap'), timeRange(fromMs, toMs), ...operationFilters(filters)] } };
}

/** good/total sub-aggregations of an SLI under a bucket. */
function countAggs(spec: SliSpec): Record<string, estypes.AggregationsAggregationContainer> {
  const f = sliFilters(spec);
  return { good: { filter: f.good }, ...(f.total === null ? {} : { total: { filter: f.total } }) };
}

/** Reads good/total from a bucket built by countAggs. */
export function countsOf(bucket: Record<string, unknown> & { doc_count: number }): { good: number; total: number } {
  const good = (bucket.good as { doc_count: number }).doc_count;
  const total = bucket.total === undefined ? bucket.doc_count : (bucket.total as { doc_count: number }).doc_count;
  return { good, total };
}

export function sliSeriesRequest(spec: SliSpec, filters: Filters, fromMs: number, toMs: number, bucketMs: number, index: string): estypes.SearchRequest {
  return {
    index, ...SEARCH_DEFAULTS,
    query: unwrapsIn(filters, fromMs, toMs),
    aggs: { t: { date_histogram: histogram(bucketMs), aggs: countAggs(spec) } },
  };
}

/** One search for several windows (an SLO window and its burn-rate windows): a filters bucket each. */
export function sliWindowsRequest(spec: SliSpec, filters: Filters, windows: Record<string, { fromMs: number; toMs: number }>, index: string): estypes.SearchRequest {
  const all = Object.values(windows);
  const from = Math.min(...all.map((w) => w.fromMs));
  const to = Math.max(...all.map((w) => w.toMs));
  const keyed: Record<string, Query> = {};
  for (const [name, w] of Object.entries(windows)) keyed[name] = timeRange(w.fromMs, w.toMs);
  return {
    index, ...SEARCH_DEFAULTS,
    query: unwrapsIn(filters, from, to),
    aggs: { w: { filters: { filters: keyed }, aggs: countAggs(spec) } },
  };
}
