import type { Migration } from './migration';

/**
 * Per ingest source and record kind: newest event time stored, last write time, records
 * stored. Written in each batch's transaction so ingest health is one small read.
 * Records stored before this migration have no known source: they count as 'unspecified'.
 */
export const ingestSourcesMigration: Migration = {
  version: 3,
  name: 'ingest-sources',
  up: (db, nowMs) => {
    db.exec(`
      CREATE TABLE ingest_sources (
        source TEXT NOT NULL,
        kind TEXT NOT NULL,
        newest_event_ms INTEGER NOT NULL,
        last_write_ms INTEGER NOT NULL,
        records INTEGER NOT NULL,
        PRIMARY KEY (source, kind)
      ) WITHOUT ROWID;
    `);
    for (const [kind, tableName, col] of [
      ['auditEvent', 'audit_events', 'time_ms'],
      ['keyOperation', 'key_operations', 'time_ms'],
      ['dekRecord', 'dek_records', 'updated_at_ms'],
    ] as const) {
      db.prepare(
        `INSERT INTO ingest_sources SELECT 'unspecified', ?, MAX(${col}), ?, COUNT(*) FROM ${tableName} HAVING COUNT(*) > 0`,
      ).run(kind, nowMs);
    }
  },
};
