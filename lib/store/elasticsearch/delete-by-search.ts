import type { Client, estypes } from '@elastic/elasticsearch';
import { StoreError } from '../types';
import { withRetry, type RetryPolicy } from './retry';

const PAGE = 1000;

/**
 * Deletes every document of `index` that `query` matches: search (after a refresh, so a
 * document written a moment ago is found) in pages ordered by `sort`, then bulk delete by
 * id. Not delete_by_query: that needs the reindex module, which a bare node
 * (tools/elasticsearch) lacks. Deleting twice deletes nothing more, so each request is
 * retried alone. Returns how many were deleted.
 */
export async function deleteBySearch(
  client: Client, index: string, retry: RetryPolicy, what: string, query: estypes.QueryDslQueryContainer, sort: estypes.Sort,
): Promise<number> {
  const where = { ignore_unavailable: true, allow_no_indices: true };
  await withRetry(retry, `refreshing Elasticsearch ${what}`, () => client.indices.refresh({ index, ...where }));
  let deleted = 0;
  for (;;) {
    // Deleted documents leave the results once refreshed, so each page starts over from the top.
    const res = await withRetry(retry, `searching Elasticsearch ${what}`, () => client.search({ index, ...where, size: PAGE, _source: false, sort, query }));
    const hits = res.hits.hits;
    if (hits.length === 0) break;
    const bulk = await withRetry(retry, `deleting Elasticsearch ${what}`, () =>
      client.bulk({ refresh: true, operations: hits.map((h) => ({ delete: { _index: h._index, _id: h._id! } })) }),
    );
    for (const item of bulk.items) {
      const r = item.delete;
      if (r?.result === 'deleted') deleted++;
      else if (r?.error != null && r.status !== 404) throw new StoreError(`Elasticsearch refused to delete ${what}: ${r.error.type}: ${r.error.reason ?? ''}`);
    }
    if (hits.length < PAGE) break;
  }
  return deleted;
}
