import type { Migration } from './migration';

const COLUMNS = 'object_id, object_path, dek_id, kek_ref, kek_version_ref, tenant_id, service_id, encryption_context, bytes, encrypted_at_ms, updated_at_ms, rotation_status';

/**
 * A DEK record is its writer's (issue 13): keyed by (service, tenant, object id), so a
 * token for one service cannot supersede another service's record of the same object id
 * with a newer updatedAt; each keeps its own. SQLite cannot change a primary key in
 * place, so the table is rebuilt (rows copied as they are) with its indexes, plus one by
 * object id for lookups that do not know the writer.
 */
export const writerScopedDekRecordsMigration: Migration = {
  version: 7,
  name: 'writer-scoped-dek-records',
  up: (db) => {
    db.exec(`
      CREATE TABLE dek_records_by_writer (
        object_id TEXT NOT NULL,
        object_path TEXT NOT NULL,
        dek_id TEXT NOT NULL,
        kek_ref INTEGER NOT NULL,
        kek_version_ref INTEGER,
        tenant_id INTEGER NOT NULL,
        service_id INTEGER NOT NULL,
        encryption_context TEXT NOT NULL,
        bytes INTEGER NOT NULL,
        encrypted_at_ms INTEGER NOT NULL,
        updated_at_ms INTEGER NOT NULL,
        rotation_status TEXT NOT NULL,
        PRIMARY KEY (service_id, tenant_id, object_id)
      );
      INSERT INTO dek_records_by_writer (${COLUMNS}) SELECT ${COLUMNS} FROM dek_records;
      DROP TABLE dek_records;
      ALTER TABLE dek_records_by_writer RENAME TO dek_records;
      CREATE INDEX ix_dek_records_kek ON dek_records(kek_ref, kek_version_ref, rotation_status);
      CREATE INDEX ix_dek_records_dek ON dek_records(dek_id);
      CREATE INDEX ix_dek_records_tenant ON dek_records(tenant_id);
      CREATE INDEX ix_dek_records_object ON dek_records(object_id);
    `);
  },
};
