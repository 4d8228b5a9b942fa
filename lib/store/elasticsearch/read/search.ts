import type { Client, estypes } from '@elastic/elasticsearch';
import { withRetry, type RetryPolicy } from '../retry';

/** Runs a search built by a pure request builder (../queries), retrying while the cluster is briefly unavailable. */
export type Searcher = (request: estypes.SearchRequest) => Promise<estypes.SearchResponse<unknown>>;

export function searcher(client: Client, retry: RetryPolicy): Searcher {
  return (request) => withRetry(retry, 'an Elasticsearch search', () => client.search(request));
}

/** Pages a composite aggregation to its end, so group counts are exact however many groups there are. */
export async function allCompositeBuckets(
  search: Searcher,
  build: (after: Record<string, estypes.FieldValue> | undefined) => estypes.SearchRequest,
  name: string,
): Promise<estypes.AggregationsCompositeBucket[]> {
  const out: estypes.AggregationsCompositeBucket[] = [];
  let after: Record<string, estypes.FieldValue> | undefined;
  for (;;) {
    const res = await search(build(after));
    const agg = res.aggregations?.[name] as estypes.AggregationsCompositeAggregate | undefined;
    const buckets = (agg?.buckets ?? []) as estypes.AggregationsCompositeBucket[];
    out.push(...buckets);
    if (buckets.length === 0 || agg?.after_key === undefined) return out;
    after = agg.after_key as Record<string, estypes.FieldValue>;
  }
}
