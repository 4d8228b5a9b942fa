import type { Migration } from './migration';

/**
 * Records, dictionary, checkpoints. Sized for ~10M key operations: repeated strings
 * (service, tenant, KEK ARN, ...) are interned in `dict` and rows carry integer refs;
 * operation ids are 16-byte blobs; the on-call indexes are covering so percentile and
 * failure queries read only the index.
 */
export const recordsMigration: Migration = {
  version: 1,
  name: 'records',
  up: (db) => {
    db.exec(`
      CREATE TABLE dict (id INTEGER PRIMARY KEY, value TEXT NOT NULL UNIQUE);

      CREATE TABLE key_operations (
        id BLOB NOT NULL,
        time_ms INTEGER NOT NULL,
        service_id INTEGER NOT NULL,
        tenant_id INTEGER NOT NULL,
        operation TEXT NOT NULL,
        kek_ref INTEGER NOT NULL,
        kek_version_ref INTEGER,
        dek_id TEXT,
        object_id TEXT,
        success INTEGER NOT NULL,
        error_class TEXT,
        error_code_ref INTEGER,
        latency_ms REAL NOT NULL,
        cache_hit INTEGER,
        bytes INTEGER NOT NULL,
        trace_id TEXT NOT NULL,
        principal TEXT,
        region_ref INTEGER,
        account_ref INTEGER
      );
      CREATE UNIQUE INDEX ux_key_operations_id ON key_operations(id);
      -- Latency percentiles and raw latency SLIs: one operation over a time range, filtered.
      CREATE INDEX ix_key_operations_op_time ON key_operations(operation, time_ms, latency_ms, service_id, tenant_id, kek_ref);
      -- Failures are a small share of traffic: a partial index keeps breakdowns cheap at any volume.
      CREATE INDEX ix_key_operations_failures ON key_operations(time_ms, error_class, operation, service_id, tenant_id, kek_ref)
        WHERE success = 0;

      CREATE TABLE audit_events (
        id TEXT PRIMARY KEY,
        time_ms INTEGER NOT NULL,
        event_name TEXT NOT NULL,
        key_arn TEXT,
        key_id TEXT,
        principal_arn TEXT,
        source_ip TEXT,
        error_code TEXT,
        success INTEGER NOT NULL,
        doc TEXT NOT NULL
      );
      CREATE INDEX ix_audit_events_time ON audit_events(time_ms, error_code, key_id);
      CREATE INDEX ix_audit_events_key_time ON audit_events(key_id, time_ms, error_code);
      CREATE INDEX ix_audit_events_principal_time ON audit_events(principal_arn, time_ms);

      CREATE TABLE dek_records (
        object_id TEXT PRIMARY KEY,
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
        rotation_status TEXT NOT NULL
      );
      CREATE INDEX ix_dek_records_kek ON dek_records(kek_ref, kek_version_ref, rotation_status);
      CREATE INDEX ix_dek_records_dek ON dek_records(dek_id);
      CREATE INDEX ix_dek_records_tenant ON dek_records(tenant_id);

      CREATE TABLE key_states (key_arn TEXT PRIMARY KEY, key_id TEXT NOT NULL, updated_at_ms INTEGER NOT NULL, doc TEXT NOT NULL);
      CREATE INDEX ix_key_states_key_id ON key_states(key_id);

      CREATE TABLE alerts (
        id TEXT PRIMARY KEY,
        rule_id TEXT NOT NULL,
        severity TEXT NOT NULL,
        status TEXT NOT NULL,
        subject TEXT NOT NULL,
        first_seen_ms INTEGER NOT NULL,
        last_seen_ms INTEGER NOT NULL,
        doc TEXT NOT NULL
      );
      CREATE INDEX ix_alerts_status_last_seen ON alerts(status, last_seen_ms);
      CREATE INDEX ix_alerts_rule ON alerts(rule_id, last_seen_ms);

      CREATE TABLE dead_letters (
        id TEXT PRIMARY KEY,
        received_at_ms INTEGER NOT NULL,
        source TEXT NOT NULL,
        location TEXT NOT NULL,
        reason TEXT NOT NULL,
        payload TEXT NOT NULL
      );
      CREATE INDEX ix_dead_letters_received ON dead_letters(received_at_ms);
      CREATE INDEX ix_dead_letters_source ON dead_letters(source, received_at_ms);

      CREATE TABLE checkpoints (
        source TEXT NOT NULL,
        key TEXT NOT NULL,
        value TEXT NOT NULL,
        updated_at_ms INTEGER NOT NULL,
        PRIMARY KEY (source, key)
      ) WITHOUT ROWID;
    `);
  },
};
