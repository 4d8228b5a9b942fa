import type { SqlQuery } from '../sql/query';

/** Per-bucket sorted values: bucket i starts at `starts[i]` and holds values[ends[i-1] .. ends[i]); `all` is every value sorted. */
export type SortedRuns = { starts: Float64Array; ends: Uint32Array; values: Float64Array; all: Float64Array };

/**
 * The statements of one question, run in one read transaction (one snapshot) on a
 * worker's read-only connection. Read functions (../read/*) are written against this.
 */
export interface ReadSession {
  all<T>(q: SqlQuery): Promise<T[]>;
  /** The first row, or undefined. */
  get<T>(q: SqlQuery): Promise<T | undefined>;
  /** Rows of (bucket, value) in bucket order → each bucket's values sorted, and all values sorted. */
  sorted(q: SqlQuery): Promise<SortedRuns>;
}

/** How a session is scheduled: heavy sessions run on workers of their own, so light questions always find one. */
export type SessionOptions = { heavy?: boolean; signal?: AbortSignal | undefined; /** Overrides the pool's time limit. */ timeoutMs?: number };

/** Runs `fn` in a session of its own (ReadPool.session). */
export type SessionRunner = <T>(fn: (s: ReadSession) => Promise<T>, opts?: SessionOptions) => Promise<T>;
