import type { Database, Statement } from 'better-sqlite3';
import type { KeyOperationRow } from './rows';

/**
 * Latency thresholds that have a rollup column (lat_le_<ms>): a latency SLI with one of
 * these thresholds reads rollups; any other threshold is answered, just as exactly, from
 * raw rows. Adding one needs a migration that adds and backfills the column.
 */
export const LATENCY_LADDER_MS = [50, 100, 200, 250, 500, 1000] as const;

export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;
export const ROLLUP_TABLES = { minute: 'op_rollup_1m', hour: 'op_rollup_1h' } as const;

const COUNTERS = ['total', 'success', 'cache_known', 'cache_hit', 'throttled', ...LATENCY_LADDER_MS.map((t) => `lat_le_${t}`)] as const;
const KEYS = ['operation', 'bucket_ms', 'service_id', 'tenant_id', 'kek_ref'] as const;

type Group = { operation: string; bucket_ms: number; service_id: number; tenant_id: number; kek_ref: number; counts: number[] };

/** The counter increments one operation contributes, in COUNTERS order. */
function increments(row: KeyOperationRow): number[] {
  return [
    1,
    row.success,
    row.cache_hit === null ? 0 : 1,
    row.cache_hit === 1 ? 1 : 0,
    row.error_class === 'throttled' ? 1 : 0,
    ...LATENCY_LADDER_MS.map((t) => (row.latency_ms <= t ? 1 : 0)),
  ];
}

/**
 * Sums a batch's newly inserted operations per rollup row in memory, then upserts each
 * row once, inside the batch's transaction (so rollups never disagree with raw rows).
 */
export class RollupWriter {
  private readonly upserts: Record<keyof typeof ROLLUP_TABLES, Statement>;
  private groups = new Map<string, Group>();

  constructor(db: Database) {
    const upsert = (table: string): Statement =>
      db.prepare(
        `INSERT INTO ${table} (${[...KEYS, ...COUNTERS].join(', ')})
         VALUES (${[...KEYS, ...COUNTERS].map((c) => `@${c}`).join(', ')})
         ON CONFLICT (${KEYS.join(', ')}) DO UPDATE SET ${COUNTERS.map((c) => `${c} = ${c} + excluded.${c}`).join(', ')}`,
      );
    this.upserts = { minute: upsert(ROLLUP_TABLES.minute), hour: upsert(ROLLUP_TABLES.hour) };
  }

  add(row: KeyOperationRow): void {
    const inc = increments(row);
    for (const [grain, size] of [['minute', MINUTE_MS], ['hour', HOUR_MS]] as const) {
      const bucket = Math.floor(row.time_ms / size) * size;
      const key = `${grain}|${row.operation}|${bucket}|${row.service_id}|${row.tenant_id}|${row.kek_ref}`;
      let g = this.groups.get(key);
      if (g === undefined) {
        g = { operation: row.operation, bucket_ms: bucket, service_id: row.service_id, tenant_id: row.tenant_id, kek_ref: row.kek_ref, counts: inc.map(() => 0) };
        this.groups.set(key, g);
      }
      for (let i = 0; i < inc.length; i++) g.counts[i]! += inc[i]!;
    }
  }

  /** Writes the accumulated rows; call inside the transaction, after the last `add`. */
  flush(): void {
    for (const [key, g] of this.groups) {
      const grain = key.startsWith('minute|') ? 'minute' : 'hour';
      const params: Record<string, string | number> = {
        operation: g.operation, bucket_ms: g.bucket_ms, service_id: g.service_id, tenant_id: g.tenant_id, kek_ref: g.kek_ref,
      };
      COUNTERS.forEach((c, i) => (params[c] = g.counts[i]!));
      this.upserts[grain].run(params);
    }
    this.groups = new Map();
  }

  /** Drops what a rolled-back transaction had accumulated. */
  discard(): void {
    this.groups = new Map();
  }
}
