import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import type { AuditEvent } from '../../lib/model/audit-event';
import { normalizeErrorCode } from '../../lib/model/cloudtrail/error-codes';
import { openStore } from '../../lib/store';
import { LATEST_SCHEMA_VERSION, migrate } from '../../lib/store/sqlite/migrations';
import { tempDbPath } from '../support/temp-store';
import { SPAN, T0, fixtureEvents } from './sqlite-audit-fixture';

const cleanups: Array<() => void> = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));
function newPath(): string {
  const t = tempDbPath();
  cleanups.push(t.cleanup);
  return t.path;
}

/** Audit events as schema version 7 stored them (frozen here, as old databases are). */
function insertV7(db: Database.Database, events: AuditEvent[]): void {
  const stmt = db.prepare(`INSERT INTO audit_events (id, time_ms, event_name, key_arn, key_id, principal_arn, principal, source_ip, error_code, success, doc)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  for (const e of events) {
    stmt.run(e.id, Date.parse(e.time), e.eventName, e.keyArn, e.keyId, e.principal.arn, e.principal.name, e.sourceIp,
      e.errorCode === null ? null : normalizeErrorCode(e.errorCode), e.outcome === 'success' ? 1 : 0, JSON.stringify(e));
  }
}

/** Every audit-search table with dictionary and pair ids resolved to their text, so two files compare by content. */
function auditContent(path: string): Record<string, unknown[]> {
  const db = new Database(path, { readonly: true });
  const d = (col: string) => `(SELECT value FROM dict WHERE id = ${col}) AS ${col}`;
  try {
    return {
      events: db.prepare(`SELECT seq, id, time_ms, event_name, key_arn, key_id, principal_arn, principal, source_ip, error_code, success, event_type, read_only,
        management, cross_account, ${['region_ref', 'account_ref', 'user_name_ref', 'principal_account_ref', 'user_agent_ref', 'key_material_ref'].map(d).join(', ')},
        hex(source_ip_bin) AS ip, request_id, error_code_written, error_message, doc FROM audit_events ORDER BY seq`).all(),
      context: db.prepare(`SELECT c.time_ms, c.event_seq, p.key, p.value FROM audit_event_context c JOIN audit_context_pairs p ON p.id = c.pair_id
        ORDER BY c.event_seq, p.key`).all(),
      pairs: db.prepare('SELECT key, value FROM audit_context_pairs ORDER BY key, value').all(),
      facets: db.prepare('SELECT * FROM audit_facets_1h ORDER BY scope, scope_value, field, bucket_ms, value').all(),
      seen: db.prepare('SELECT * FROM audit_principal_seen ORDER BY principal, field, value').all(),
      schema: db.prepare(`SELECT type, name, tbl_name, sql FROM sqlite_master WHERE tbl_name LIKE 'audit_%' ORDER BY name`).all(),
    };
  } finally {
    db.close();
  }
}

describe('migration 8 (audit search)', () => {
  const events = fixtureEvents();

  it('migrates a version-7 database with audit events: columns, side table and rollups equal a fresh write of the same events', async () => {
    const old = newPath();
    const db = new Database(old);
    db.pragma('journal_mode = WAL');
    expect(migrate(db, T0, 7)).toEqual({ from: 0, to: 7 });
    insertV7(db, events);
    db.close();
    // Through the store, as the ingest service opens it.
    await (await openStore({ backend: 'sqlite', sqlitePath: old }, { clock: () => T0 + SPAN })).close();

    const fresh = newPath();
    const store = await openStore({ backend: 'sqlite', sqlitePath: fresh }, { clock: () => T0 + SPAN });
    for (let i = 0; i < events.length; i += 500) await store.writeBatch({ auditEvents: events.slice(i, i + 500) });
    await store.close();

    const migrated = auditContent(old);
    const written = auditContent(fresh);
    expect((migrated.events as unknown[]).length).toBe(events.length);
    expect((migrated.context as unknown[]).length).toBeGreaterThan(100);
    expect((migrated.facets as unknown[]).length).toBeGreaterThan(100);
    for (const table of Object.keys(written)) expect(migrated[table], table).toEqual(written[table]);
  });

  it('keeps the stored columns of older rows as they were, and reads a document of an older model (absent fields) as nulls', () => {
    const path = newPath();
    const db = new Database(path);
    migrate(db, T0, 7);
    const e = events[0] as AuditEvent;
    const { eventType: _t, userAgent: _u, ...older } = { ...e, principal: { type: e.principal.type, arn: e.principal.arn } } as Record<string, unknown>;
    db.prepare(`INSERT INTO audit_events (id, time_ms, event_name, key_arn, key_id, principal_arn, principal, source_ip, error_code, success, doc)
      VALUES ('old-1', ?, 'Decrypt', NULL, NULL, 'arn:x', 'as stored', '10.9.8.7', 'AccessDeniedException', 0, ?)`).run(T0, JSON.stringify(older));
    expect(migrate(db, T0)).toEqual({ from: 7, to: LATEST_SCHEMA_VERSION });
    const row = db.prepare('SELECT seq, principal, source_ip, error_code, event_type, user_agent_ref, hex(source_ip_bin) AS ip FROM audit_events').get();
    expect(row).toEqual({ seq: 1, principal: 'as stored', source_ip: '10.9.8.7', error_code: 'AccessDeniedException', event_type: null, user_agent_ref: null, ip: '00000000000000000000FFFF0A090807' });
    expect(db.prepare("SELECT first_ms, count FROM audit_principal_seen WHERE principal = 'as stored' AND field = ''").get()).toEqual({ first_ms: T0, count: 1 });
    db.close();
  });
});
