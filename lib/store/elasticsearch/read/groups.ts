import { toMs } from '../../../queries/common';
import { topFailures, type FailureBreakdownParams, type FailureBreakdownResult } from '../../../queries/failure-breakdown';
import type { FilterValuesParams, FilterValuesResult } from '../../../queries/filter-values';
import type { IndexNames } from '../names';
import { aggsOf } from '../queries/common';
import { failureGroupsRequest } from '../queries/failures';
import { filterValuesRequest } from '../queries/filter-values';
import { allCompositeBuckets, type Searcher } from './search';

export async function readFailureBreakdown(search: Searcher, names: IndexNames, p: FailureBreakdownParams): Promise<FailureBreakdownResult> {
  const index = names.alias('key-operations');
  const buckets = await allCompositeBuckets(search, (after) => failureGroupsRequest(p.by, p.operation, p.filters, toMs(p.from), toMs(p.to), index, after), 'g');
  return topFailures(p.by, buckets.map((b) => ({ key: String(b.key.key), count: b.doc_count })), p.limit);
}

export async function readFilterValues(search: Searcher, names: IndexNames, p: FilterValuesParams): Promise<FilterValuesResult> {
  const res = await search(filterValuesRequest(toMs(p.from), toMs(p.to), p.limit, names.alias('key-operations')));
  const aggs = aggsOf(res);
  let truncated = false;
  const list = (name: string): string[] => {
    const buckets = ((aggs[name] as { buckets?: Array<{ key: string }> } | undefined)?.buckets ?? []).map((b) => String(b.key));
    if (buckets.length > p.limit) truncated = true;
    return buckets.slice(0, p.limit);
  };
  return { services: list('services'), tenants: list('tenants'), kekIds: list('kekIds'), truncated };
}
