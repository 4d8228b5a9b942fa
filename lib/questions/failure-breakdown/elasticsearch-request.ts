import type { estypes } from '@elastic/elasticsearch';
import type { KeyOperationKind } from '../../model/key-operation';
import type { Filters } from '../common';
import type { FailureBreakdownParams } from './definition';
import { F, SEARCH_DEFAULTS, operationFilters, term, timeRange } from '../../store/elasticsearch/queries/common';

const GROUP_FIELD: Record<FailureBreakdownParams['by'], string> = { errorClass: F.errorClass, service: F.service, kekId: F.kek };
export const GROUP_PAGE = 1000;

/**
 * Failures per group, one composite page at a time. Composite paging counts every group
 * exactly, where a terms aggregation's top N would approximate the "other" row.
 */
export function failureGroupsRequest(
  by: FailureBreakdownParams['by'], operation: KeyOperationKind | undefined, filters: Filters, fromMs: number, toMs: number, index: string,
  after?: Record<string, estypes.FieldValue>,
): estypes.SearchRequest {
  const filter = [term(F.outcome, 'failure'), timeRange(fromMs, toMs), ...operationFilters(filters)];
  if (operation !== undefined) filter.push(term(F.action, operation));
  return {
    index, ...SEARCH_DEFAULTS,
    query: { bool: { filter } },
    aggs: { g: { composite: { size: GROUP_PAGE, sources: [{ key: { terms: { field: GROUP_FIELD[by] } } }], ...(after ? { after } : {}) } } },
  };
}
