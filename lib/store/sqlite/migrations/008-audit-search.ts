import type { AuditEvent } from '../../../model/audit-event';
import { Dictionary } from '../dictionary';
import { sourceIpBlob } from '../rows';
import { AuditSearchWriter, type StoredAuditRow } from '../sql/audit-writer';
import type { Migration } from './migration';

/** Rows copied per read: the copy reads the old table in rowid pages, never all at once. */
const PAGE = 5_000;

/** The columns every earlier version stored, copied as they are; the new ones are derived from `doc`. */
type V7Row = Pick<StoredAuditRow, 'id' | 'time_ms' | 'event_name' | 'key_arn' | 'key_id' | 'principal_arn' | 'principal' | 'source_ip' | 'error_code' | 'success' | 'doc'> & { rowid: number };

/**
 * Time-leading for ranges; (field, time) for the selective filters and the key and
 * principal pages. Low-cardinality fields (Region, account), user agents and request ids
 * have none: each index costs every write, and their facets come from the rollups.
 */
const INDEXES = `
  CREATE INDEX ix_audit_events_time ON audit_events(time_ms, error_code, key_id);
  CREATE INDEX ix_audit_events_key_time ON audit_events(key_id, time_ms, error_code);
  CREATE INDEX ix_audit_events_key_arn_time ON audit_events(key_arn, time_ms, event_name, principal, success);
  CREATE INDEX ix_audit_events_action_time ON audit_events(event_name, time_ms);
  CREATE INDEX ix_audit_events_caller_time ON audit_events(principal, time_ms);
  CREATE INDEX ix_audit_events_user_time ON audit_events(user_name_ref, time_ms);
  CREATE INDEX ix_audit_events_source_ip_time ON audit_events(source_ip_bin, time_ms);
  CREATE INDEX ix_audit_events_failures ON audit_events(time_ms, error_code_written) WHERE success = 0;
  CREATE INDEX ix_audit_principal_seen_first ON audit_principal_seen(first_ms);
`;

/** Documents stored by earlier models may lack fields added since: absent reads as null. */
function withDefaults(doc: Partial<AuditEvent>): AuditEvent {
  const nulls = { eventType: null, readOnly: null, keyArn: null, keyId: null, keyMaterialId: null, sourceIp: null, userAgent: null, region: null,
    accountId: null, errorCode: null, errorMessage: null, encryptionContext: null, requestId: null };
  const principal = { name: null, arn: null, accountId: null, principalId: null, accessKeyId: null, roleArn: null, invokedBy: null, ...doc.principal };
  return { ...nulls, management: false, crossAccount: false, ...doc, principal } as AuditEvent;
}

/**
 * Audit search (issue 14): a column (or dictionary id) per catalog field a search filters
 * or facets on, the source IP as 16 comparable bytes for CIDR ranges, the encryption
 * context as (key, value) pairs in a side table, hourly facet counts (every event, per
 * key, per principal) and what each principal was first and last seen with. The table is
 * rebuilt with `seq INTEGER PRIMARY KEY` (side tables point at it; VACUUM keeps it, unlike
 * an implicit rowid) and `doc` last (reading a column never walks the document's overflow
 * pages); rows are copied in order with their stored columns as they were.
 */
export const auditSearchMigration: Migration = {
  version: 8,
  name: 'audit-search',
  up: (db) => {
    db.exec(`
      DROP INDEX ix_audit_events_time; DROP INDEX ix_audit_events_key_time; DROP INDEX ix_audit_events_principal_time;
      DROP INDEX ix_audit_events_key_arn_time;
      ALTER TABLE audit_events RENAME TO audit_events_v7;
      CREATE TABLE audit_events (
        seq INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        time_ms INTEGER NOT NULL,
        event_name TEXT NOT NULL,
        key_arn TEXT,
        key_id TEXT,
        principal_arn TEXT,
        principal TEXT,
        source_ip TEXT,
        error_code TEXT,
        success INTEGER NOT NULL,
        event_type TEXT,
        read_only INTEGER,
        management INTEGER,
        cross_account INTEGER,
        region_ref INTEGER,
        account_ref INTEGER,
        user_name_ref INTEGER,
        principal_account_ref INTEGER,
        user_agent_ref INTEGER,
        source_ip_bin BLOB,
        key_material_ref INTEGER,
        request_id TEXT,
        error_code_written TEXT,
        error_message TEXT,
        doc TEXT NOT NULL
      );
      CREATE TABLE audit_context_pairs (id INTEGER PRIMARY KEY, key TEXT NOT NULL, value TEXT NOT NULL, UNIQUE (key, value));
      CREATE TABLE audit_event_context (
        time_ms INTEGER NOT NULL,
        event_seq INTEGER NOT NULL,
        pair_id INTEGER NOT NULL,
        PRIMARY KEY (time_ms, event_seq, pair_id)
      ) WITHOUT ROWID;
      CREATE TABLE audit_facets_1h (
        scope TEXT NOT NULL,
        scope_value TEXT NOT NULL,
        field TEXT NOT NULL,
        bucket_ms INTEGER NOT NULL,
        value TEXT NOT NULL,
        count INTEGER NOT NULL,
        failures INTEGER NOT NULL,
        PRIMARY KEY (scope, scope_value, field, bucket_ms, value)
      ) WITHOUT ROWID;
      CREATE TABLE audit_principal_seen (
        principal TEXT NOT NULL,
        field TEXT NOT NULL,
        value TEXT NOT NULL,
        first_ms INTEGER NOT NULL,
        last_ms INTEGER NOT NULL,
        count INTEGER NOT NULL,
        PRIMARY KEY (principal, field, value)
      ) WITHOUT ROWID;
    `);
    const writer = new AuditSearchWriter(db, new Dictionary(db));
    const page = db.prepare(`SELECT rowid, id, time_ms, event_name, key_arn, key_id, principal_arn, principal, source_ip, error_code, success, doc
      FROM audit_events_v7 WHERE rowid > ? ORDER BY rowid LIMIT ${PAGE}`);
    for (let after = 0; ;) {
      const rows = page.all(after) as V7Row[];
      if (rows.length === 0) break;
      for (const { rowid: _rowid, ...stored } of rows) {
        // The bytes follow the stored source column, which source.address searches.
        writer.insert(withDefaults(JSON.parse(stored.doc) as Partial<AuditEvent>), { ...stored, source_ip_bin: sourceIpBlob(stored.source_ip) });
      }
      writer.flush();
      after = (rows[rows.length - 1] as V7Row).rowid;
    }
    db.exec(`DROP TABLE audit_events_v7; ${INDEXES}`);
  },
};
