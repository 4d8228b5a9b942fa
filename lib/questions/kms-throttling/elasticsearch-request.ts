import type { estypes } from '@elastic/elasticsearch';
import type { Filters } from '../common';
import { THROTTLING_ERROR_CODE, kekKeyId } from './definition';
import { F, SEARCH_DEFAULTS, histogram, operationFilters, term, timeRange } from '../../store/elasticsearch/queries/common';

/** Throttled operations (error class `throttled`) per bucket, under every operation in the bucket. */
export function throttledOperationsRequest(filters: Filters, fromMs: number, toMs: number, bucketMs: number, index: string): estypes.SearchRequest {
  return {
    index, ...SEARCH_DEFAULTS,
    query: { bool: { filter: [timeRange(fromMs, toMs), ...operationFilters(filters)] } },
    aggs: { t: { date_histogram: histogram(bucketMs), aggs: { hit: { filter: term(F.errorClass, 'throttled') } } } },
  };
}

/** CloudTrail calls with ThrottlingException per bucket, under every call in the bucket (matched on key id). */
export function throttledAuditRequest(filters: Filters, fromMs: number, toMs: number, bucketMs: number, index: string): estypes.SearchRequest {
  const filter = [timeRange(fromMs, toMs)];
  if (filters.kekId !== undefined) filter.push(term('keyscope.kek.id', kekKeyId(filters.kekId)));
  return {
    index, ...SEARCH_DEFAULTS,
    query: { bool: { filter } },
    aggs: { t: { date_histogram: histogram(bucketMs), aggs: { hit: { filter: term(F.auditErrorCode, THROTTLING_ERROR_CODE) } } } },
  };
}
