import { errors } from '@elastic/elasticsearch';
import { StoreError } from '../types';

export type RetryPolicy = {
  /** Give up (and fail the write) after this long without success. */
  deadlineMs: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** Told before each wait, so the ingest service can log that it is waiting on the cluster. */
  onRetry?: (info: { attempt: number; delayMs: number; reason: string }) => void;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
};

export const DEFAULT_RETRY: RetryPolicy = { deadlineMs: 10 * 60_000, baseDelayMs: 250, maxDelayMs: 10_000 };

/** Statuses worth another try: the cluster is busy (429) or briefly unable (5xx). */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || status >= 500;
}

/** Whether a failed request may succeed if sent again unchanged; the reason when it may. */
export function retryableReason(err: unknown): string | null {
  if (err instanceof errors.ConnectionError || err instanceof errors.NoLivingConnectionsError || err instanceof errors.TimeoutError) {
    return `${err.name}: ${err.message}`;
  }
  if (err instanceof errors.ResponseError && isRetryableStatus(err.statusCode ?? 0)) return `HTTP ${err.statusCode}: ${err.message}`;
  return null;
}

/** Exponential backoff with full jitter (the AWS architecture blog's choice for contended retries). */
export function backoffDelay(policy: RetryPolicy, attempt: number): number {
  const cap = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.min(attempt, 20));
  return Math.round((policy.random ?? Math.random)() * cap);
}

/** Runs fn until it succeeds, a non-retryable error occurs, or the deadline passes. */
export async function withRetry<T>(policy: RetryPolicy, what: string, fn: () => Promise<T>): Promise<T> {
  const started = Date.now();
  const sleep = policy.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      const reason = retryableReason(err);
      if (reason === null) throw err;
      if (Date.now() - started > policy.deadlineMs) {
        throw new StoreError(`${what} kept failing for ${Math.round((Date.now() - started) / 1000)} s; last error: ${reason}`);
      }
      const delayMs = backoffDelay(policy, attempt);
      policy.onRetry?.({ attempt: attempt + 1, delayMs, reason });
      await sleep(delayMs);
    }
  }
}
