import type { Database } from 'better-sqlite3';
import type { KeyState } from '../../model/key-state';
import type { z } from 'zod';
import type { Question } from '../../questions/define';
import type { AnswerOptions, CheckpointValue, OpenMode, Store, StoredCheckpoint, WriteBatch, WriteResult } from '../types';
import { StoreError } from '../types';
import { MAX_EXACT_ROWS, READ_TIME_LIMIT_MS } from '../../questions/cost';
import { BUSY_TIMEOUT_MS, CACHE_KIB, openDatabase } from './connection';
import { deleteCheckpointsByPrefix } from './delete-checkpoints';
import { ReadPool } from './read-pool/read-pool';
import type { SqliteAnswerContext } from './answer-context';
import { readKeyStates } from './read-key-states';
import type { ReadSession, SessionOptions } from './read-pool/read-session';
import { StatementCache } from './statement-cache';
import { BatchWriter } from './write-batch';

export type SqliteStoreOptions = {
  path: string;
  mode: OpenMode;
  clock: () => number;
  /** Read worker threads (default 2 light, 1 heavy): questions run there, off the caller's event loop. */
  readWorkers?: { light: number; heavy: number };
  /** A question that reads longer is stopped (default READ_TIME_LIMIT_MS). */
  readTimeLimitMs?: number;
  /** Raw rows an exact percentile answer may read (default MAX_EXACT_ROWS). */
  maxExactRows?: number;
};

/**
 * The embedded backend. Questions run in a pool of worker threads with read-only
 * connections (./read-pool), each in one read transaction (one snapshot while the writer
 * commits), so a long read never blocks the dashboard's event loop. Writes, checkpoints
 * and key states use this thread's connection: small, and the writer must see its own writes.
 */
export class SqliteStore implements Store {
  private readonly cache: StatementCache;
  private readonly writer: BatchWriter | null;
  private closed = false;

  private readonly pool: ReadPool;

  constructor(
    private readonly db: Database,
    mode: OpenMode,
    private readonly clock: () => number,
    pool: { path: string; size: { light: number; heavy: number }; timeoutMs: number },
    /** Store-wide overrides of the questions' own caps (tests and benchmarks set them small). */
    private readonly maxExactRows: number | undefined,
    private readonly readTimeLimitMs: number | undefined,
  ) {
    this.cache = new StatementCache(db);
    this.writer = mode === 'readwrite' ? new BatchWriter(db, clock) : null;
    this.pool = new ReadPool({ ...pool, busyTimeoutMs: BUSY_TIMEOUT_MS, cacheKib: CACHE_KIB });
  }

  /**
   * Runs the question's SQLite answer: each of its sessions is one read transaction on a
   * worker, cancelled with the request's signal and stopped at the question's time limit.
   */
  answer<P extends z.ZodType, R extends z.ZodType>(question: Question<string, P, R>, params: z.output<P>, options: AnswerOptions = {}): Promise<z.output<R>> {
    if (this.closed) return Promise.reject(new StoreError('store is closed'));
    const timeoutMs = this.readTimeLimitMs ?? question.cost.timeLimitMs;
    const ctx: SqliteAnswerContext = {
      session: <T>(fn: (s: ReadSession) => Promise<T>, opts: SessionOptions = {}) =>
        this.closed ? Promise.reject(new StoreError('store is closed')) : this.pool.session(fn, { signal: options.signal, timeoutMs, ...opts }),
      clock: this.clock,
      maxExactRows: this.maxExactRows ?? question.cost.maxRows ?? MAX_EXACT_ROWS,
    };
    return question.answers.sqlite(ctx, params);
  }

  private read<T>(fn: () => T): Promise<T> {
    if (this.closed) return Promise.reject(new StoreError('store is closed'));
    try {
      return Promise.resolve(this.db.transaction(fn)());
    } catch (err) {
      return Promise.reject(err);
    }
  }

  async writeBatch(batch: WriteBatch): Promise<WriteResult> {
    if (this.closed) throw new StoreError('store is closed');
    if (this.writer === null) throw new StoreError('store was opened read-only; only the ingest service writes');
    return this.writer.write(batch);
  }

  getCheckpoint(source: string, key: string): Promise<CheckpointValue | null> {
    return this.read(() => {
      const row = this.cache.get<{ value: string } | undefined>({
        sql: 'SELECT value FROM checkpoints WHERE source = @source AND key = @key',
        params: { source, key },
      });
      return row === undefined ? null : (JSON.parse(row.value) as CheckpointValue);
    });
  }

  listCheckpoints(source: string): Promise<StoredCheckpoint[]> {
    return this.read(() =>
      this.cache
        .all<{ key: string; value: string; updated_at_ms: number }>({
          sql: 'SELECT key, value, updated_at_ms FROM checkpoints WHERE source = @source ORDER BY key',
          params: { source },
        })
        .map((r) => ({ source, key: r.key, value: JSON.parse(r.value) as CheckpointValue, updatedAt: new Date(r.updated_at_ms).toISOString() })),
    );
  }

  async deleteCheckpoints(source: string, keyPrefixes: readonly string[]): Promise<number> {
    if (this.closed) throw new StoreError('store is closed');
    if (this.writer === null) throw new StoreError('store was opened read-only; only the ingest service writes');
    return deleteCheckpointsByPrefix(this.db, source, keyPrefixes);
  }

  async pruneDeadLetters(before: Date): Promise<number> {
    if (this.closed) throw new StoreError('store is closed');
    if (this.writer === null) throw new StoreError('store was opened read-only; only the ingest service writes');
    // ix_dead_letters_received makes this a range delete.
    return this.db.prepare('DELETE FROM dead_letters WHERE received_at_ms < ?').run(before.getTime()).changes;
  }

  keyStates(): Promise<KeyState[]> {
    return this.read(() => readKeyStates(this.cache));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.pool.close();
    this.db.close();
  }
}

export function openSqliteStore(options: SqliteStoreOptions): SqliteStore {
  const db = openDatabase(options.path, options.mode, options.clock());
  const pool = { path: options.path, size: options.readWorkers ?? { light: 2, heavy: 1 }, timeoutMs: options.readTimeLimitMs ?? READ_TIME_LIMIT_MS };
  return new SqliteStore(db, options.mode, options.clock, pool, options.maxExactRows, options.readTimeLimitMs);
}
