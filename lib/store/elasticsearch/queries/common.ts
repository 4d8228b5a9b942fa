import type { estypes } from '@elastic/elasticsearch';
import type { Filters } from '../../../questions/common';

/** Field names the questions read, in one place (see ../documents.ts for what fills them). */
export const F = {
  time: '@timestamp',
  action: 'event.action',
  outcome: 'event.outcome',
  service: 'service.name',
  tenant: 'keyscope.tenant',
  kek: 'keyscope.kek.id',
  errorClass: 'error.type',
  latency: 'keyscope.latency_ms',
  cacheHit: 'keyscope.cache_hit',
  /** Canonical error code of an audit event (AccessDenied and AccessDeniedException as one). */
  auditErrorCode: 'error.code',
} as const;

export type Query = estypes.QueryDslQueryContainer;

/** [from, to) in epoch milliseconds, as every question's range is half-open. */
export function timeRange(fromMs: number, toMs: number, field: string = F.time): Query {
  return { range: { [field]: { gte: fromMs, lt: toMs, format: 'epoch_millis' } } };
}

export function term(field: string, value: string | boolean): Query {
  return { term: { [field]: value } };
}

/** The on-call filters (service, tenant, KEK) as exact term filters on key operations. */
export function operationFilters(filters: Filters): Query[] {
  const out: Query[] = [];
  if (filters.service !== undefined) out.push(term(F.service, filters.service));
  if (filters.tenant !== undefined) out.push(term(F.tenant, filters.tenant));
  if (filters.kekId !== undefined) out.push(term(F.kek, filters.kekId));
  return out;
}

/**
 * Options every search shares: no hits unless asked, and an absent index (nothing written
 * yet, or a month with no data) reads as empty rather than failing.
 */
export const SEARCH_DEFAULTS = { size: 0, ignore_unavailable: true, allow_no_indices: true } as const;

/** Epoch-aligned fixed buckets of `bucketMs`, only those with documents (gaps are filled later). */
export function histogram(bucketMs: number, field: string = F.time): estypes.AggregationsDateHistogramAggregation {
  return { field, fixed_interval: `${bucketMs}ms`, min_doc_count: 1 };
}

/** A search response's aggregations, or an empty object when no index existed. */
export function aggsOf(res: estypes.SearchResponse): Record<string, estypes.AggregationsAggregate> {
  return (res.aggregations ?? {}) as Record<string, estypes.AggregationsAggregate>;
}

export type HistogramBucket = estypes.AggregationsDateHistogramBucket & Record<string, unknown>;

export function histogramBuckets(agg: estypes.AggregationsAggregate | undefined): HistogramBucket[] {
  if (agg === undefined) return [];
  const buckets = (agg as estypes.AggregationsDateHistogramAggregate).buckets;
  return (Array.isArray(buckets) ? buckets : Object.values(buckets)) as HistogramBucket[];
}

export function docCount(agg: unknown): number {
  return (agg as { doc_count?: number } | undefined)?.doc_count ?? 0;
}
