import type { Database, Statement } from 'better-sqlite3';
import type { Alert } from '../../model/alert';
import type { DekRecord } from '../../model/dek-record';
import type { KeyState } from '../../model/key-state';
import { mergeKeyStates, normalizeKeyState } from '../../model/key-state-merge';
import type { HEALTH_KINDS } from '../../questions/ingest-health/definition';
import { type WriteBatch, type WriteCounts, type WriteResult } from '../types';
import { Dictionary } from './dictionary';
import { RollupWriter } from './rollups';
import { dekRecordRow, keyOperationRow } from './rows';
import { AuditSearchWriter } from './sql/audit-writer';

const zero = (): WriteCounts => ({ inserted: 0, updated: 0, duplicates: 0 });
type HealthKind = (typeof HEALTH_KINDS)[number];

/**
 * The write side: prepared once, each batch in one IMMEDIATE transaction with its rollups,
 * ingest-source marks and checkpoints, so a crash leaves all of it or none of it.
 */
export class BatchWriter {
  private readonly dict: Dictionary;
  private readonly rollups: RollupWriter;
  private readonly audit: AuditSearchWriter;
  private readonly stmt: ReturnType<typeof prepareStatements>;

  constructor(private readonly db: Database, private readonly clock: () => number) {
    this.dict = new Dictionary(db);
    this.rollups = new RollupWriter(db);
    this.audit = new AuditSearchWriter(db, this.dict);
    this.stmt = prepareStatements(db);
  }

  write(batch: WriteBatch): WriteResult {
    const run = this.db.transaction((b: WriteBatch) => this.apply(b));
    try {
      return run.immediate(batch);
    } catch (err) {
      this.dict.forget();
      this.rollups.discard();
      this.audit.discard();
      throw err;
    }
  }

  private apply(b: WriteBatch): WriteResult {
    const result: WriteResult = {
      auditEvents: zero(), keyOperations: zero(), dekRecords: zero(), deadLetters: zero(), keyStates: zero(), alerts: zero(), checkpoints: 0,
    };
    const nowMs = this.clock();

    for (const op of b.keyOperations ?? []) {
      const row = keyOperationRow(op, this.dict);
      if (this.stmt.keyOperation.run(row).changes === 1) {
        result.keyOperations.inserted++;
        this.rollups.add(row);
      } else result.keyOperations.duplicates++;
    }
    this.rollups.flush();
    for (const e of b.auditEvents ?? []) count(result.auditEvents, this.audit.insert(e) ? 'inserted' : 'duplicates');
    this.audit.flush();
    for (const d of b.deadLetters ?? []) {
      const row = { id: d.id, received_at_ms: Date.parse(d.receivedAt), source: d.source, location: d.location, reason: d.reason, payload: d.payload };
      count(result.deadLetters, this.stmt.deadLetter.run(row).changes === 1 ? 'inserted' : 'duplicates');
    }
    for (const r of b.dekRecords ?? []) count(result.dekRecords, this.putDekRecord(r));
    for (const k of b.keyStates ?? []) count(result.keyStates, this.putKeyState(k));
    for (const a of b.alerts ?? []) count(result.alerts, this.putAlert(a));
    for (const c of b.checkpoints ?? []) {
      this.stmt.checkpoint.run(c.source, c.key, JSON.stringify(c.value), nowMs);
      result.checkpoints++;
    }

    const source = b.source ?? 'unspecified';
    this.markSource(source, 'keyOperation', b.keyOperations?.map((o) => o.time), result.keyOperations, nowMs);
    this.markSource(source, 'auditEvent', b.auditEvents?.map((e) => e.time), result.auditEvents, nowMs);
    this.markSource(source, 'dekRecord', b.dekRecords?.map((r) => r.updatedAt), result.dekRecords, nowMs);
    return result;
  }

  /**
   * Within its writer's scope (service, tenant: migration 7), a later updatedAt supersedes;
   * the same or an earlier one is a duplicate (replays change nothing).
   */
  private putDekRecord(r: DekRecord): keyof WriteCounts {
    const row = dekRecordRow(r, this.dict);
    const existing = this.stmt.dekGet.get(row.service_id, row.tenant_id, row.object_id) as { updated_at_ms: number } | undefined;
    if (existing !== undefined && existing.updated_at_ms >= row.updated_at_ms) return 'duplicates';
    this.stmt.dekPut.run(row);
    return existing === undefined ? 'inserted' : 'updated';
  }

  /**
   * Merged per fact with the stored state (lib/model/key-state-merge.ts), read and written
   * in this IMMEDIATE transaction, so concurrent writers in other processes lose nothing;
   * a merge that changes nothing is a duplicate and writes nothing.
   */
  private putKeyState(k: KeyState): keyof WriteCounts {
    const existing = this.stmt.keyStateGet.get(k.keyArn) as { doc: string } | undefined;
    const stored = existing === undefined ? undefined : normalizeKeyState(JSON.parse(existing.doc) as KeyState);
    const merged = stored === undefined ? normalizeKeyState(k) : mergeKeyStates(stored, k);
    const doc = JSON.stringify(merged);
    if (stored !== undefined && JSON.stringify(stored) === doc) return 'duplicates';
    this.stmt.keyStatePut.run({ key_arn: merged.keyArn, key_id: merged.keyId, updated_at_ms: Date.parse(merged.updatedAt), doc });
    return existing === undefined ? 'inserted' : 'updated';
  }

  /** The detector re-evaluates and rewrites its alerts: the latest write wins. */
  private putAlert(a: Alert): keyof WriteCounts {
    const existing = this.stmt.alertGet.get(a.id) as { doc: string } | undefined;
    const doc = JSON.stringify(a);
    if (existing?.doc === doc) return 'duplicates';
    this.stmt.alertPut.run({
      id: a.id, rule_id: a.ruleId, severity: a.severity, status: a.status, subject: a.subject,
      first_seen_ms: Date.parse(a.firstSeen), last_seen_ms: Date.parse(a.lastSeen), doc,
    });
    return existing === undefined ? 'inserted' : 'updated';
  }

  private markSource(source: string, kind: HealthKind, times: string[] | undefined, counts: WriteCounts, nowMs: number): void {
    if (times === undefined || times.length === 0) return;
    let newest = -Infinity;
    for (const t of times) newest = Math.max(newest, Date.parse(t));
    this.stmt.source.run(source, kind, newest, nowMs, counts.inserted + counts.updated);
  }
}

function prepareStatements(db: Database) {
  const insert = (table: string, cols: string[], conflict: string): Statement =>
    db.prepare(`INSERT INTO ${table} (${cols.join(', ')}) VALUES (${cols.map((c) => `@${c}`).join(', ')}) ON CONFLICT (${conflict}) DO NOTHING`);
  const dekCols = ['object_id', 'object_path', 'dek_id', 'kek_ref', 'kek_version_ref', 'tenant_id', 'service_id', 'encryption_context', 'bytes', 'encrypted_at_ms', 'updated_at_ms', 'rotation_status'];
  return {
    keyOperation: insert('key_operations', ['id', 'time_ms', 'service_id', 'tenant_id', 'operation', 'kek_ref', 'kek_version_ref', 'dek_id', 'object_id', 'success', 'error_class', 'error_code_ref', 'latency_ms', 'cache_hit', 'bytes', 'trace_id', 'principal', 'region_ref', 'account_ref', 'key_arn_ref', 'kms_request_id'], 'service_id, tenant_id, id'),
    deadLetter: insert('dead_letters', ['id', 'received_at_ms', 'source', 'location', 'reason', 'payload'], 'id'),
    dekGet: db.prepare('SELECT updated_at_ms FROM dek_records WHERE service_id = ? AND tenant_id = ? AND object_id = ?'),
    dekPut: db.prepare(`INSERT OR REPLACE INTO dek_records (${dekCols.join(', ')}) VALUES (${dekCols.map((c) => `@${c}`).join(', ')})`),
    keyStateGet: db.prepare('SELECT doc FROM key_states WHERE key_arn = ?'),
    keyStatePut: db.prepare('INSERT OR REPLACE INTO key_states (key_arn, key_id, updated_at_ms, doc) VALUES (@key_arn, @key_id, @updated_at_ms, @doc)'),
    alertGet: db.prepare('SELECT doc FROM alerts WHERE id = ?'),
    alertPut: db.prepare(`INSERT OR REPLACE INTO alerts (id, rule_id, severity, status, subject, first_seen_ms, last_seen_ms, doc)
      VALUES (@id, @rule_id, @severity, @status, @subject, @first_seen_ms, @last_seen_ms, @doc)`),
    checkpoint: db.prepare(`INSERT INTO checkpoints (source, key, value, updated_at_ms) VALUES (?, ?, ?, ?)
      ON CONFLICT (source, key) DO UPDATE SET value = excluded.value, updated_at_ms = excluded.updated_at_ms`),
    source: db.prepare(`INSERT INTO ingest_sources (source, kind, newest_event_ms, last_write_ms, records) VALUES (?, ?, ?, ?, ?)
      ON CONFLICT (source, kind) DO UPDATE SET newest_event_ms = MAX(newest_event_ms, excluded.newest_event_ms),
        last_write_ms = excluded.last_write_ms, records = records + excluded.records`),
  };
}

function count(c: WriteCounts, what: keyof WriteCounts): void {
  c[what]++;
}
