/**
 * What one question may cost a store, and the typed errors when it would cost more.
 * The route maps QueryTooLargeError to 422 (asking again will not help: narrow the
 * request) and QueryTimeoutError to 503 (the read was stopped at its time limit).
 */

/** Raw key operations an exact answer may read; beyond it an approximate answer or a refusal. */
export const MAX_EXACT_ROWS = 2_000_000;
/** Rows above which a read runs in the heavy lane (lib/store/sqlite/read-pool), leaving a worker for light questions. */
export const HEAVY_READ_ROWS = 200_000;
/** How long one question may read before it is stopped. */
export const READ_TIME_LIMIT_MS = 30_000;

export class QueryTooLargeError extends Error {
  override readonly name = 'QueryTooLargeError';
}

export class QueryTimeoutError extends Error {
  override readonly name = 'QueryTimeoutError';
  constructor(readonly limitMs: number) {
    super(`the question ran longer than ${limitMs < 1000 ? `${limitMs} ms` : `${Math.round(limitMs / 1000)} s`} and was stopped: narrow the range or the filters`);
  }
}

const fmt = (n: number): string => n.toLocaleString('en-US');

/** Refuses a read that would scan more than `max` rows, saying what to do instead. */
export function checkRowsScanned(what: string, rows: number, max: number, hint: string): void {
  if (rows > max) throw new QueryTooLargeError(`${what} would read ${fmt(rows)} rows; at most ${fmt(max)}: ${hint}`);
}
