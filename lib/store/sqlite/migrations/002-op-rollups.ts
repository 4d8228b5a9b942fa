import type { Migration } from './migration';

/** Latency thresholds with a rollup column, as of this migration (history: never edit). */
const LADDER = [50, 100, 200, 250, 500, 1000];

const table = (name: string): string => `
  CREATE TABLE ${name} (
    operation TEXT NOT NULL,
    bucket_ms INTEGER NOT NULL,
    service_id INTEGER NOT NULL,
    tenant_id INTEGER NOT NULL,
    kek_ref INTEGER NOT NULL,
    total INTEGER NOT NULL,
    success INTEGER NOT NULL,
    cache_known INTEGER NOT NULL,
    cache_hit INTEGER NOT NULL,
    throttled INTEGER NOT NULL,
    ${LADDER.map((t) => `lat_le_${t} INTEGER NOT NULL`).join(',\n    ')},
    PRIMARY KEY (operation, bucket_ms, service_id, tenant_id, kek_ref)
  ) WITHOUT ROWID;`;

const backfill = (name: string, bucketMs: number): string => `
  INSERT INTO ${name}
  SELECT operation, (time_ms / ${bucketMs}) * ${bucketMs}, service_id, tenant_id, kek_ref,
    COUNT(*), SUM(success), SUM(cache_hit IS NOT NULL), SUM(cache_hit IS 1), SUM(error_class IS 'throttled'),
    ${LADDER.map((t) => `SUM(latency_ms <= ${t})`).join(', ')}
  FROM key_operations
  GROUP BY 1, 2, 3, 4, 5;`;

/**
 * Per-minute and per-hour counts of key operations by operation, service, tenant and KEK,
 * kept in the write transaction: count-type SLIs over 30-day windows sum at most
 * 720 hourly rows per series instead of scanning millions of operations. Backfilled from
 * the operations already stored.
 */
export const opRollupsMigration: Migration = {
  version: 2,
  name: 'op-rollups',
  up: (db) => {
    db.exec(table('op_rollup_1m') + table('op_rollup_1h'));
    db.exec(backfill('op_rollup_1m', 60_000) + backfill('op_rollup_1h', 3_600_000));
  },
};
