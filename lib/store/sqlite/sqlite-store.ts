import type { Database } from 'better-sqlite3';
import type { IngestHealthParams } from '../../queries/ingest-health';
import type { CheckpointValue, OpenMode, Store, StoredCheckpoint, WriteBatch, WriteResult } from '../types';
import { StoreError } from '../types';
import { MAX_EXACT_ROWS, READ_TIME_LIMIT_MS } from '../../queries/cost';
import { currentReadSignal } from '../read-signal';
import { BUSY_TIMEOUT_MS, CACHE_KIB, openDatabase } from './connection';
import { deleteCheckpointsByPrefix } from './delete-checkpoints';
import { readFailureBreakdown } from './read/failure-breakdown';
import { readFilterValues } from './read/filter-values';
import { readIngestHealth } from './read/ingest-health';
import { readKeyInventory, readKeyStates } from './read/key-inventory';
import { readKmsThrottling } from './read/kms-throttling';
import { readLatencyPercentiles } from './read/latency-percentiles';
import { readSliSeries } from './read/sli-series';
import { readSloStatus } from './read/slo-status';
import { ReadPool } from './read-pool/read-pool';
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
    private readonly maxExactRows: number,
  ) {
    this.cache = new StatementCache(db);
    this.writer = mode === 'readwrite' ? new BatchWriter(db, clock) : null;
    this.pool = new ReadPool({ ...pool, busyTimeoutMs: BUSY_TIMEOUT_MS, cacheKib: CACHE_KIB });
  }

  /** One question's statements in one read session on a worker, cancelled with the request being served. */
  private session = <T>(fn: (s: ReadSession) => Promise<T>, opts: SessionOptions = {}): Promise<T> => {
    if (this.closed) return Promise.reject(new StoreError('store is closed'));
    return this.pool.session(fn, { signal: currentReadSignal(), ...opts });
  };

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

  sliSeries: Store['sliSeries'] = (p) => this.session((s) => readSliSeries(s, p));
  sloStatus: Store['sloStatus'] = (p) => this.session((s) => readSloStatus(s, p));
  latencyPercentiles: Store['latencyPercentiles'] = (p) => readLatencyPercentiles(this.session, p, this.maxExactRows);
  failureBreakdown: Store['failureBreakdown'] = (p) => this.session((s) => readFailureBreakdown(s, p));
  kmsThrottling: Store['kmsThrottling'] = (p) => this.session((s) => readKmsThrottling(s, p));
  ingestHealth: Store['ingestHealth'] = (p: IngestHealthParams) => this.session((s) => readIngestHealth(s, p, this.clock));
  filterValues: Store['filterValues'] = (p) => this.session((s) => readFilterValues(s, p));
  keyInventory: Store['keyInventory'] = (p) => this.session((s) => readKeyInventory(s, p));
  keyStates: Store['keyStates'] = () => this.read(() => readKeyStates(this.cache));

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
  return new SqliteStore(db, options.mode, options.clock, pool, options.maxExactRows ?? MAX_EXACT_ROWS);
}
