import type { Database } from 'better-sqlite3';
import { StoreError } from '../../types';
import { recordsMigration } from './001-records';
import { opRollupsMigration } from './002-op-rollups';
import { ingestSourcesMigration } from './003-ingest-sources';
import { keyInventoryMigration } from './004-key-inventory';
import { operationKeyIdentityMigration } from './005-operation-key-identity';
import { writerScopedOperationIdsMigration } from './006-writer-scoped-operation-ids';
import { writerScopedDekRecordsMigration } from './007-writer-scoped-dek-records';
import { auditSearchMigration } from './008-audit-search';
import type { Migration } from './migration';

/** Every schema step, in order. Append only. */
export const MIGRATIONS: readonly Migration[] = [recordsMigration, opRollupsMigration, ingestSourcesMigration, keyInventoryMigration, operationKeyIdentityMigration,
  writerScopedOperationIdsMigration, writerScopedDekRecordsMigration, auditSearchMigration];
export const LATEST_SCHEMA_VERSION = MIGRATIONS.length;

MIGRATIONS.forEach((m, i) => {
  if (m.version !== i + 1) throw new Error(`migration ${m.name} has version ${m.version}, expected ${i + 1}`);
});

function hasMigrationsTable(db: Database): boolean {
  return db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'`).get() !== undefined;
}

/** The schema version recorded in the database; 0 for a new, empty file. */
export function schemaVersion(db: Database): number {
  if (!hasMigrationsTable(db)) return 0;
  const row = db.prepare('SELECT MAX(version) AS v FROM schema_migrations').get() as { v: number | null };
  return row.v ?? 0;
}

/**
 * Brings the database to `target` (default: latest) in one IMMEDIATE transaction, so a
 * crash leaves the old schema intact and two writers starting together migrate once.
 * Refuses a database newer than this code: downgrading would lose data silently.
 */
export function migrate(db: Database, nowMs: number, target = LATEST_SCHEMA_VERSION): { from: number; to: number } {
  const run = db.transaction(() => {
    db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at_ms INTEGER NOT NULL)`);
    const from = schemaVersion(db);
    if (from > LATEST_SCHEMA_VERSION) {
      throw new StoreError(`database schema version ${from} is newer than this keyscope (${LATEST_SCHEMA_VERSION}); upgrade keyscope`);
    }
    const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_at_ms) VALUES (?, ?, ?)');
    for (const m of MIGRATIONS) {
      if (m.version <= from || m.version > target) continue;
      m.up(db, nowMs);
      record.run(m.version, m.name, nowMs);
    }
    return { from, to: Math.max(from, target) };
  });
  return run.immediate();
}
