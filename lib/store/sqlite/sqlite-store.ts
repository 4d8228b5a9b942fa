import type { Database } from 'better-sqlite3';
import type { IngestHealthParams } from '../../queries/ingest-health';
import type { CheckpointValue, OpenMode, Store, StoredCheckpoint, WriteBatch, WriteResult } from '../types';
import { StoreError } from '../types';
import { openDatabase } from './connection';
import { deleteCheckpointsByPrefix } from './delete-checkpoints';
import { readFailureBreakdown } from './read/failure-breakdown';
import { readFilterValues } from './read/filter-values';
import { readIngestHealth } from './read/ingest-health';
import { readKeyInventory, readKeyStates } from './read/key-inventory';
import { readKmsThrottling } from './read/kms-throttling';
import { readLatencyPercentiles } from './read/latency-percentiles';
import { readSliSeries } from './read/sli-series';
import { readSloStatus } from './read/slo-status';
import { StatementCache } from './statement-cache';
import { BatchWriter } from './write-batch';

export type SqliteStoreOptions = { path: string; mode: OpenMode; clock: () => number };

/**
 * The embedded backend. better-sqlite3 is synchronous; methods are async to share the
 * Store interface with network backends. Each answer runs in one read transaction, so
 * its statements see one snapshot even while the writer commits.
 */
export class SqliteStore implements Store {
  private readonly cache: StatementCache;
  private readonly writer: BatchWriter | null;
  private closed = false;

  constructor(private readonly db: Database, mode: OpenMode, private readonly clock: () => number) {
    this.cache = new StatementCache(db);
    this.writer = mode === 'readwrite' ? new BatchWriter(db, clock) : null;
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

  sliSeries: Store['sliSeries'] = (p) => this.read(() => readSliSeries(this.cache, p));
  sloStatus: Store['sloStatus'] = (p) => this.read(() => readSloStatus(this.cache, p));
  latencyPercentiles: Store['latencyPercentiles'] = (p) => this.read(() => readLatencyPercentiles(this.cache, p));
  failureBreakdown: Store['failureBreakdown'] = (p) => this.read(() => readFailureBreakdown(this.cache, p));
  kmsThrottling: Store['kmsThrottling'] = (p) => this.read(() => readKmsThrottling(this.cache, p));
  ingestHealth: Store['ingestHealth'] = (p: IngestHealthParams) => this.read(() => readIngestHealth(this.cache, p, this.clock));
  filterValues: Store['filterValues'] = (p) => this.read(() => readFilterValues(this.cache, p));
  keyInventory: Store['keyInventory'] = (p) => this.read(() => readKeyInventory(this.cache, p));
  keyStates: Store['keyStates'] = () => this.read(() => readKeyStates(this.cache));

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.db.close();
  }
}

export function openSqliteStore(options: SqliteStoreOptions): SqliteStore {
  return new SqliteStore(openDatabase(options.path, options.mode, options.clock()), options.mode, options.clock);
}
