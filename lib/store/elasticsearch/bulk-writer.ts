import type { Client, estypes } from '@elastic/elasticsearch';
import { StoreError } from '../types';
import { bulkChunks, type BulkAction } from './bulk-body';
import { backoffDelay, isRetryableStatus, withRetry, type RetryPolicy } from './retry';

/** What became of one action: written (new or replacing), refused as not newer (409), or rejected with a reason. */
export type BulkOutcome = { status: 'created' } | { status: 'updated' } | { status: 'conflict' } | { status: 'rejected'; reason: string };

export type BulkOptions = { maxBytes: number; concurrency: number; retry: RetryPolicy };

/**
 * Runs tasks with at most `limit` in flight, taking items from the iterator only when a
 * slot is free (a lazily serialized body is built while the others are on the wire).
 */
async function pool<T>(items: Iterator<T>, limit: number, run: (item: T) => Promise<void>): Promise<void> {
  let done = false;
  const worker = async (): Promise<void> => {
    while (!done) {
      const next = items.next();
      if (next.done === true) {
        done = true;
        return;
      }
      await run(next.value);
    }
  };
  await Promise.all(Array.from({ length: limit }, worker));
}

/** Sends one pre-serialized _bulk body (whole-request failures are retried with backoff). */
export function sendBulk(client: Client, body: string, retry: RetryPolicy): Promise<estypes.BulkResponse> {
  return withRetry(retry, 'an Elasticsearch _bulk request', () =>
    client.transport.request<estypes.BulkResponse>({ method: 'POST', path: '/_bulk', bulkBody: body }),
  );
}

/**
 * Elasticsearch 8 quotes the offending value in a field parse error ("Preview of field's
 * value: '…'"): an encryption-context value or a principal would reach dead letters and
 * logs. The reason keeps the field and the error, not the value.
 */
const VALUE_PREVIEW = /Preview of field's value: '[\s\S]*'/g;
const INPUT_STRING = /For input string: "[^"]*"/g;
export function withoutValuePreview(text: string): string {
  return text.replace(VALUE_PREVIEW, "Preview of field's value: (withheld)").replace(INPUT_STRING, 'For input string: (withheld)');
}

/** The cluster's words for an item it did not write: error type, reason and cause (values withheld). */
function reasonOf(error: estypes.ErrorCause): string {
  const cause = error.caused_by?.reason;
  return withoutValuePreview(`${error.type}: ${error.reason ?? ''}${cause ? ` (${cause})` : ''}`);
}

function outcomeOf(item: estypes.BulkResponseItem): BulkOutcome | 'retry' {
  if (item.error == null) return item.result === 'updated' ? { status: 'updated' } : { status: 'created' };
  if (item.status === 409) return { status: 'conflict' };
  if (isRetryableStatus(item.status)) return 'retry';
  return { status: 'rejected', reason: reasonOf(item.error) };
}

/**
 * Writes actions through _bulk: chunked by bytes, `concurrency` requests in flight, whole
 * requests retried on connection errors, 429 and 5xx, and items the cluster refused for
 * load (429/5xx per item) sent again after a backoff. Returns one outcome per action;
 * nothing is dropped: an action is written, a conflict, or rejected with its reason.
 */
export async function writeBulk(client: Client, actions: readonly BulkAction[], options: BulkOptions): Promise<BulkOutcome[]> {
  const outcomes: Array<BulkOutcome | undefined> = new Array(actions.length);
  let pending = actions.map((_, i) => i);
  const started = Date.now();
  // Named in the error when the cluster never takes them: overload (429) and a red index (503) want different fixes.
  let lastRefusal = '';
  for (let round = 0; pending.length > 0; round++) {
    const again: number[] = [];
    await pool(bulkChunks(actions, pending, options.maxBytes), options.concurrency, async (chunk) => {
      const response = await sendBulk(client, chunk.body, options.retry);
      response.items.forEach((entry, j) => {
        const position = chunk.actions[j]!;
        const item = Object.values(entry)[0] as estypes.BulkResponseItem;
        const outcome = outcomeOf(item);
        if (outcome === 'retry') {
          again.push(position);
          lastRefusal = `HTTP ${item.status} ${reasonOf(item.error!)}`;
        } else outcomes[position] = outcome;
      });
    });
    if (again.length === 0) break;
    if (Date.now() - started > options.retry.deadlineMs) {
      throw new StoreError(`Elasticsearch kept refusing ${again.length} documents for load (429/5xx) for ${Math.round((Date.now() - started) / 1000)} s; last refusal: ${lastRefusal}`);
    }
    const delayMs = backoffDelay(options.retry, round);
    options.retry.onRetry?.({ attempt: round + 1, delayMs, reason: `${again.length} documents refused for load (429/5xx)` });
    await (options.retry.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms))))(delayMs);
    pending = again.sort((a, b) => a - b);
  }
  return outcomes.map((o, i) => {
    if (o === undefined) throw new StoreError(`internal: no bulk outcome for action ${i}`);
    return o;
  });
}
