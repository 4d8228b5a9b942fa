import { errors, type Client, type estypes } from '@elastic/elasticsearch';
import { QueryTimeoutError, READ_TIME_LIMIT_MS } from '../../questions/cost';
import { ReadCancelledError } from '../read-signal';
import { withRetry, type RetryPolicy } from './retry';

/** Runs a search built by a pure request builder (../queries), retrying while the cluster is briefly unavailable. */
export type Searcher = (request: estypes.SearchRequest) => Promise<estypes.SearchResponse<unknown>>;

/**
 * Every search carries the read time limit twice: as the search `timeout` (each shard
 * stops collecting; a partial answer is refused, never shown) and as the client's request
 * timeout, a little later, for what the shard timeout does not cover (the reduce). The
 * request's signal aborts the HTTP request, and Elasticsearch cancels a search whose
 * connection closed. Neither is retried.
 */
export function searcher(client: Client, retry: RetryPolicy, opts: { limitMs?: number; signal?: AbortSignal | undefined } = {}): Searcher {
  const { limitMs = READ_TIME_LIMIT_MS, signal } = opts;
  return (request) => {
    return withRetry(retry, 'an Elasticsearch search', async () => {
      try {
        const res = await client.search({ timeout: `${limitMs}ms`, ...request }, { signal, requestTimeout: limitMs + 5_000, maxRetries: 0 });
        if (res.timed_out) throw new QueryTimeoutError(limitMs);
        return res;
      } catch (err) {
        if (err instanceof errors.TimeoutError) throw new QueryTimeoutError(limitMs);
        if (err instanceof errors.RequestAbortedError) throw new ReadCancelledError();
        throw err;
      }
    });
  };
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
