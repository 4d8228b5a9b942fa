import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import type { KeyOperation } from '../../lib/model/key-operation';
import { openStore } from '../../lib/store';
import { LATEST_SCHEMA_VERSION, MIGRATIONS, migrate, schemaVersion } from '../../lib/store/sqlite/migrations';
import { LATENCY_LADDER_MS } from '../../lib/store/sqlite/rollups';
import { generateOperations } from '../support/key-operation-generator';
import { tempDbPath } from '../support/temp-store';
import { ingestHealth, sliSeries, sloStatus } from '../../lib/questions/registry';

const T0 = Date.UTC(2026, 2, 1);
const cleanups: Array<() => void> = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

function newPath(): string {
  const t = tempDbPath();
  cleanups.push(t.cleanup);
  return t.path;
}

/** Writes operations the way schema version 1 stored them (frozen here, as old databases are). */
function insertV1(db: Database.Database, ops: KeyOperation[]): void {
  const intern = (v: string | null): number | null => {
    if (v === null) return null;
    db.prepare('INSERT OR IGNORE INTO dict (value) VALUES (?)').run(v);
    return (db.prepare('SELECT id FROM dict WHERE value = ?').get(v) as { id: number }).id;
  };
  const stmt = db.prepare(`INSERT INTO key_operations (id, time_ms, service_id, tenant_id, operation, kek_ref, kek_version_ref,
    dek_id, object_id, success, error_class, error_code_ref, latency_ms, cache_hit, bytes, trace_id, principal, region_ref, account_ref)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  for (const o of ops) {
    stmt.run(Buffer.from(o.id.replace(/-/g, ''), 'hex'), Date.parse(o.time), intern(o.service), intern(o.tenant), o.operation, intern(o.kekId),
      intern(o.kekVersion), o.dekId, o.objectId, o.outcome === 'success' ? 1 : 0, o.errorClass, intern(o.errorCode), o.latencyMs,
      o.cacheHit === null ? null : o.cacheHit ? 1 : 0, o.bytes, o.traceId, o.principal, intern(o.region), intern(o.accountId));
  }
}

describe('sqlite schema migrations', () => {
  it('are numbered 1..n in order, and the rollup columns match the latency ladder', () => {
    expect(MIGRATIONS.map((m) => m.version)).toEqual(Array.from({ length: LATEST_SCHEMA_VERSION }, (_, i) => i + 1));
    const path = newPath();
    const db = new Database(path);
    migrate(db, T0);
    const cols = (db.prepare(`SELECT name FROM pragma_table_info('op_rollup_1m')`).all() as { name: string }[]).map((c) => c.name);
    expect(cols.filter((c) => c.startsWith('lat_le_'))).toEqual(LATENCY_LADDER_MS.map((t) => `lat_le_${t}`));
    expect(db.prepare('SELECT version, name FROM schema_migrations ORDER BY version').all()).toEqual(MIGRATIONS.map((m) => ({ version: m.version, name: m.name })));
    // Running again is a no-op.
    expect(migrate(db, T0)).toEqual({ from: LATEST_SCHEMA_VERSION, to: LATEST_SCHEMA_VERSION });
    db.close();
  });

  it('opens a version-1 database, migrates it and backfills rollups and ingest sources from its rows', async () => {
    const path = newPath();
    const ops = generateOperations(11, 1500, { fromMs: T0, toMs: T0 + 3 * 3_600_000 });
    const old = new Database(path);
    old.pragma('journal_mode = WAL');
    expect(migrate(old, T0, 1)).toEqual({ from: 0, to: 1 });
    insertV1(old, ops);
    old.close();

    // A reader must not migrate: it refuses and says who will.
    await expect(openStore({ backend: 'sqlite', sqlitePath: path }, { mode: 'readonly' })).rejects.toThrow(/schema version 1, older than.*ingest service/);

    const store = await openStore({ backend: 'sqlite', sqlitePath: path }, { clock: () => T0 + 4 * 3_600_000 });
    const check = new Database(path, { readonly: true });
    expect(schemaVersion(check)).toBe(LATEST_SCHEMA_VERSION);
    check.close();

    const unwraps = ops.filter((o) => o.operation === 'unwrap');
    const series = await store.answer(sliSeries, { from: new Date(T0).toISOString(), to: new Date(T0 + 3 * 3_600_000).toISOString(), sli: 'unwrap_success', filters: {} });
    expect(series.summary).toEqual({ good: unwraps.filter((o) => o.outcome === 'success').length, total: unwraps.length, ratio: expect.any(Number) });
    const status = await store.answer(sloStatus, { now: new Date(T0 + 3 * 3_600_000).toISOString(), slo: { id: 'u', name: 'u', sli: 'cache_hit', objective: 0.9, windowDays: 30, filters: {} } });
    expect(status.window.total).toBe(unwraps.filter((o) => o.cacheHit !== null).length);
    expect(status.window.good).toBe(unwraps.filter((o) => o.cacheHit === true).length);

    const health = await store.answer(ingestHealth, { from: new Date(T0).toISOString(), to: new Date(T0 + 1).toISOString(), latest: 5 });
    const newest = Math.max(...ops.map((o) => Date.parse(o.time)));
    expect(health.sources).toEqual([{
      source: 'unspecified', kind: 'keyOperation', newestEventTime: new Date(newest).toISOString(),
      lastWriteTime: new Date(T0 + 4 * 3_600_000).toISOString(), lagMs: T0 + 4 * 3_600_000 - newest, records: 1500,
    }]);
    await store.close();
  });

  it('rebuilds dek_records keyed by writer (migration 7) with every row as it was, and writes by writer after', async () => {
    const path = newPath();
    const db = new Database(path);
    migrate(db, T0, 6);
    db.prepare("INSERT INTO dict (id, value) VALUES (1, 'billing'), (2, 'acme'), (3, 'kek'), (4, 'payments')").run();
    const cols = 'object_id, object_path, dek_id, kek_ref, kek_version_ref, tenant_id, service_id, encryption_context, bytes, encrypted_at_ms, updated_at_ms, rotation_status';
    db.prepare(`INSERT INTO dek_records (${cols}) VALUES ('obj-1', 's3://b/obj-1', 'dek-1', 3, NULL, 2, 1, '{}', 10, ${T0}, ${T0}, 'current')`).run();
    const before = db.prepare('SELECT * FROM dek_records').all();
    expect(migrate(db, T0)).toEqual({ from: 6, to: LATEST_SCHEMA_VERSION });
    expect(db.prepare('SELECT * FROM dek_records').all()).toEqual(before);
    const pk = (db.prepare(`SELECT name FROM pragma_table_info('dek_records') WHERE pk > 0 ORDER BY pk`).all() as { name: string }[]).map((c) => c.name);
    expect(pk).toEqual(['service_id', 'tenant_id', 'object_id']);
    // The same object id from another service is another row.
    db.prepare(`INSERT INTO dek_records (${cols}) VALUES ('obj-1', 's3://b/obj-1', 'dek-x', 3, NULL, 2, 4, '{}', 10, ${T0}, ${T0 + 1}, 'current')`).run();
    expect(db.prepare('SELECT COUNT(*) AS n FROM dek_records').get()).toEqual({ n: 2 });
    const plan = db.prepare("EXPLAIN QUERY PLAN SELECT updated_at_ms FROM dek_records WHERE object_id = 'obj-1'").all() as { detail: string }[];
    expect(plan.map((p) => p.detail).join(' ')).toMatch(/ix_dek_records_object/);
    db.close();
  });

  it('refuses a database newer than the code, in the writer and the reader', async () => {
    const path = newPath();
    const db = new Database(path);
    migrate(db, T0);
    db.prepare('INSERT INTO schema_migrations (version, name, applied_at_ms) VALUES (?, ?, ?)').run(LATEST_SCHEMA_VERSION + 1, 'future', T0);
    db.close();
    await expect(openStore({ backend: 'sqlite', sqlitePath: path })).rejects.toThrow(/newer than this keyscope/);
    await expect(openStore({ backend: 'sqlite', sqlitePath: path }, { mode: 'readonly' })).rejects.toThrow(/newer than this reader/);
  });

  it('tells a reader to start the writer when there is no database yet', async () => {
    await expect(openStore({ backend: 'sqlite', sqlitePath: newPath() }, { mode: 'readonly' })).rejects.toThrow(/no keyscope database.*start the ingest service/);
  });
});
