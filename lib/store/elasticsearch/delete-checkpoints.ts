import type { Client, estypes } from '@elastic/elasticsearch';
import { StoreError } from '../types';
import { withRetry, type RetryPolicy } from './retry';

/** Prefix clauses per search, well under the default `indices.query.bool.max_clause_count`. */
const PREFIXES_PER_SEARCH = 500;
const PAGE = 1000;

/**
 * Deletes a source's checkpoints by key prefix: search (after a refresh, so a checkpoint
 * written a moment ago is found), then bulk delete by id. Not delete_by_query: that needs
 * the reindex module, which a bare node (tools/elasticsearch) lacks. Deleting twice
 * deletes nothing more, so each request is retried alone.
 */
export async function deleteCheckpointsByPrefix(client: Client, index: string, retry: RetryPolicy, source: string, keyPrefixes: readonly string[]): Promise<number> {
  if (keyPrefixes.some((p) => p === '')) throw new RangeError('deleteCheckpoints: an empty key prefix would delete every checkpoint of the source');
  if (keyPrefixes.length === 0) return 0;
  const where = { ignore_unavailable: true, allow_no_indices: true };
  await withRetry(retry, 'refreshing Elasticsearch checkpoints', () => client.indices.refresh({ index, ...where }));
  let deleted = 0;
  for (let i = 0; i < keyPrefixes.length; i += PREFIXES_PER_SEARCH) {
    const should = keyPrefixes.slice(i, i + PREFIXES_PER_SEARCH).map((p) => ({ prefix: { key: p } }));
    let after: estypes.SortResults | undefined;
    for (;;) {
      const res = await withRetry(retry, 'searching Elasticsearch checkpoints', () => client.search({
        index, ...where, size: PAGE, _source: false, sort: [{ key: 'asc' }], ...(after ? { search_after: after } : {}),
        query: { bool: { filter: [{ term: { source } }], should, minimum_should_match: 1 } },
      }));
      const hits = res.hits.hits;
      if (hits.length === 0) break;
      const bulk = await withRetry(retry, 'deleting Elasticsearch checkpoints', () =>
        client.bulk({ operations: hits.map((h) => ({ delete: { _index: h._index, _id: h._id! } })) }),
      );
      for (const item of bulk.items) {
        const r = item.delete;
        if (r?.result === 'deleted') deleted++;
        else if (r?.error != null) throw new StoreError(`Elasticsearch refused to delete a checkpoint: ${r.error.type}: ${r.error.reason ?? ''}`);
      }
      if (hits.length < PAGE) break;
      after = hits[hits.length - 1]!.sort;
    }
  }
  await withRetry(retry, 'refreshing Elasticsearch checkpoints', () => client.indices.refresh({ index, ...where }));
  return deleted;
}
