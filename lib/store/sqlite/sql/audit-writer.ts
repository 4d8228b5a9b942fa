import type { Database, Statement } from 'better-sqlite3';
import type { AuditEvent } from '../../../model/audit-event';
import type { Dictionary } from '../dictionary';
import { auditContextPairs, auditEventRefs, auditEventRow, type AuditEventRow } from '../rows';
import { AuditCounts } from './audit-counts';

/** Beyond this many cached pairs the cache starts over, bounding the writer's memory. */
const MAX_CACHED_PAIRS = 50_000;

/** The columns of audit_events as of migration 8, in table order (seq is assigned). */
export const AUDIT_EVENT_COLUMNS = [
  'id', 'time_ms', 'event_name', 'key_arn', 'key_id', 'principal_arn', 'principal', 'source_ip', 'error_code', 'success',
  'event_type', 'read_only', 'management', 'cross_account', 'region_ref', 'account_ref', 'user_name_ref', 'principal_account_ref',
  'user_agent_ref', 'source_ip_bin', 'key_material_ref', 'request_id', 'error_code_written', 'error_message', 'doc',
] as const;
export type StoredAuditRow = AuditEventRow & ReturnType<typeof auditEventRefs>;

/**
 * Writes an audit event with what audit search needs beside the row (migration 8): its
 * encryption-context pairs, hourly facet counts (every event, per key, per principal) and
 * what each principal has been seen with. Counts are summed in memory over a batch and
 * upserted once per cell on `flush`, inside the caller's transaction; `discard` after a rollback.
 */
export class AuditSearchWriter {
  private readonly stmt: ReturnType<typeof prepare>;
  private readonly pairIds = new Map<string, number>();
  private readonly counts = new AuditCounts();

  constructor(db: Database, private readonly dict: Dictionary) {
    this.stmt = prepare(db);
  }

  /** False when the event id is already stored: then nothing is written, side tables included. */
  insert(e: AuditEvent, stored: Partial<StoredAuditRow> = {}): boolean {
    const row: StoredAuditRow = { ...auditEventRow(e), ...auditEventRefs(e, this.dict), ...stored };
    // Positional: binding 25 named parameters costs more than building the array.
    const result = this.stmt.event.run(AUDIT_EVENT_COLUMNS.map((c) => row[c]));
    if (result.changes !== 1) return false;
    const seq = Number(result.lastInsertRowid);
    const pairs = auditContextPairs(e);
    for (const [k, v] of pairs) this.stmt.context.run(row.time_ms, seq, this.pairId(k, v));
    this.counts.add({
      timeMs: row.time_ms,
      failed: row.success === 0,
      keyArn: row.key_arn,
      principal: row.principal,
      // The values audit-facets.ts groups the columns by, in AUDIT_FACET_FIELDS order.
      facets: [row.event_name, row.success === 1 ? 'success' : 'failure', e.accountId, e.region, row.principal,
        row.source_ip_bin === null ? null : row.source_ip, e.userAgent, row.key_arn, row.error_code_written],
      contextPairs: pairs,
      seen: [['kms.key.arn', row.key_arn], ['source.address', row.source_ip], ['cloud.region', e.region], ['user_agent.original', e.userAgent]],
    });
    return true;
  }

  flush(): void {
    for (const c of this.counts.facetRows()) this.stmt.facet.run(c.scope, c.scopeValue, c.field, c.bucket, c.value, c.count, c.failures);
    for (const c of this.counts.seenRows()) this.stmt.seen.run(c.principal, c.field, c.value, c.first, c.last, c.count);
    this.counts.clear();
  }

  /** Drops sums and cached pair ids that a rolled-back transaction may hold. */
  discard(): void {
    this.counts.clear();
    this.pairIds.clear();
  }

  private pairId(key: string, value: string): number {
    const k = `${key.length}:${key}${value}`;
    const cached = this.pairIds.get(k);
    if (cached !== undefined) return cached;
    const id = this.stmt.pairGet.get(key, value)?.id ?? Number(this.stmt.pairPut.run(key, value).lastInsertRowid);
    if (this.pairIds.size >= MAX_CACHED_PAIRS) this.pairIds.clear();
    this.pairIds.set(k, id);
    return id;
  }
}

function prepare(db: Database) {
  const cols = AUDIT_EVENT_COLUMNS;
  return {
    event: db.prepare(`INSERT INTO audit_events (${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')}) ON CONFLICT (id) DO NOTHING`),
    pairGet: db.prepare('SELECT id FROM audit_context_pairs WHERE key = ? AND value = ?') as Statement<[string, string], { id: number }>,
    pairPut: db.prepare('INSERT INTO audit_context_pairs (key, value) VALUES (?, ?)') as Statement<[string, string]>,
    context: db.prepare('INSERT INTO audit_event_context (time_ms, event_seq, pair_id) VALUES (?, ?, ?)'),
    facet: db.prepare(`INSERT INTO audit_facets_1h (scope, scope_value, field, bucket_ms, value, count, failures) VALUES (?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (scope, scope_value, field, bucket_ms, value) DO UPDATE SET count = count + excluded.count, failures = failures + excluded.failures`),
    seen: db.prepare(`INSERT INTO audit_principal_seen (principal, field, value, first_ms, last_ms, count) VALUES (?, ?, ?, ?, ?, ?)
      ON CONFLICT (principal, field, value) DO UPDATE SET first_ms = MIN(first_ms, excluded.first_ms),
        last_ms = MAX(last_ms, excluded.last_ms), count = count + excluded.count`),
  };
}
