import type { Database, Statement } from 'better-sqlite3';
import type { AuditEvent } from '../../../model/audit-event';
import type { Dictionary } from '../dictionary';
import { auditContextPairs, auditEventRefs, auditEventRow, type AuditEventRow } from '../rows';
import { CONTEXT_PREFIX } from '../../../query-language/fields';
import { AUDIT_FACET_FIELDS, CONTEXT_KEYS_FACET, HOUR_MS, type AuditFacetField } from './audit-columns';

/** Beyond this many cached pairs the cache starts over, bounding the writer's memory. */
const MAX_CACHED_PAIRS = 50_000;

/** The columns of audit_events as of migration 8, in table order (seq is assigned). */
export const AUDIT_EVENT_COLUMNS = [
  'id', 'time_ms', 'event_name', 'key_arn', 'key_id', 'principal_arn', 'principal', 'source_ip', 'error_code', 'success',
  'event_type', 'read_only', 'management', 'cross_account', 'region_ref', 'account_ref', 'user_name_ref', 'principal_account_ref',
  'user_agent_ref', 'source_ip_bin', 'key_material_ref', 'request_id', 'error_code_written', 'error_message', 'doc',
] as const;
export type StoredAuditRow = AuditEventRow & ReturnType<typeof auditEventRefs>;

type FacetCell = { scope: string; scopeValue: string; field: string; bucket: number; value: string; count: number; failures: number };
type SeenCell = { principal: string; field: string; value: string; first: number; last: number; count: number };

/** Unambiguous map keys without JSON.stringify on the hot path: each part length-prefixed. */
const keyOf = (...parts: Array<string | number>): string => parts.map((p) => `${String(p).length}:${p}`).join('');

/**
 * Writes an audit event with what audit search needs beside the row (migration 8): its
 * encryption-context pairs, hourly facet counts (every event, per key, per principal) and
 * what each principal has been seen with. Counts are summed in memory over a batch and
 * upserted once per cell on `flush`, inside the caller's transaction; `discard` after a rollback.
 */
export class AuditSearchWriter {
  private readonly stmt: ReturnType<typeof prepare>;
  private readonly pairIds = new Map<string, number>();
  private facets = new Map<string, FacetCell>();
  private seen = new Map<string, SeenCell>();

  constructor(db: Database, private readonly dict: Dictionary) {
    this.stmt = prepare(db);
  }

  /** False when the event id is already stored: then nothing is written, side tables included. */
  insert(e: AuditEvent, stored: Partial<StoredAuditRow> = {}): boolean {
    const row: StoredAuditRow = { ...auditEventRow(e), ...auditEventRefs(e, this.dict), ...stored };
    const result = this.stmt.event.run(row);
    if (result.changes !== 1) return false;
    const seq = Number(result.lastInsertRowid);
    const pairs = auditContextPairs(e);
    for (const [k, v] of pairs) this.stmt.context.run(row.time_ms, seq, this.pairId(k, v));
    this.count(row, e, pairs);
    return true;
  }

  flush(): void {
    for (const c of this.facets.values()) this.stmt.facet.run(c.scope, c.scopeValue, c.field, c.bucket, c.value, c.count, c.failures);
    for (const c of this.seen.values()) this.stmt.seen.run(c.principal, c.field, c.value, c.first, c.last, c.count);
    this.facets = new Map();
    this.seen = new Map();
  }

  /** Drops sums and cached pair ids that a rolled-back transaction may hold. */
  discard(): void {
    this.facets = new Map();
    this.seen = new Map();
    this.pairIds.clear();
  }

  private pairId(key: string, value: string): number {
    const k = keyOf(key, value);
    const cached = this.pairIds.get(k);
    if (cached !== undefined) return cached;
    const id = this.stmt.pairGet.get(key, value)?.id ?? Number(this.stmt.pairPut.run(key, value).lastInsertRowid);
    if (this.pairIds.size >= MAX_CACHED_PAIRS) this.pairIds.clear();
    this.pairIds.set(k, id);
    return id;
  }

  private count(row: StoredAuditRow, e: AuditEvent, pairs: Array<[string, string]>): void {
    const bucket = Math.floor(row.time_ms / HOUR_MS) * HOUR_MS;
    const failed = row.success === 0 ? 1 : 0;
    const values = facetValues(row, e);
    const scopes: Array<[string, string | null]> = [['', ''], ['kms.key.arn', row.key_arn], ['keyscope.principal.caller', row.principal]];
    for (const [scope, scopeValue] of scopes) {
      if (scopeValue === null) continue;
      this.addFacet(scope, scopeValue, '', bucket, '', failed);
      for (const f of AUDIT_FACET_FIELDS) {
        const v = values[f];
        if (v !== null) this.addFacet(scope, scopeValue, f, bucket, v, failed);
      }
      for (const [k] of pairs) this.addFacet(scope, scopeValue, CONTEXT_KEYS_FACET, bucket, k, failed);
    }
    if (row.principal === null) return;
    const p = row.principal;
    this.addSeen(p, '', '', row.time_ms);
    if (row.key_arn !== null) this.addSeen(p, 'kms.key.arn', row.key_arn, row.time_ms);
    if (row.source_ip !== null) this.addSeen(p, 'source.address', row.source_ip, row.time_ms);
    if (e.region !== null) this.addSeen(p, 'cloud.region', e.region, row.time_ms);
    if (e.userAgent !== null) this.addSeen(p, 'user_agent.original', e.userAgent, row.time_ms);
    for (const [k, v] of pairs) this.addSeen(p, CONTEXT_PREFIX + k, v, row.time_ms);
  }

  private addFacet(scope: string, scopeValue: string, field: string, bucket: number, value: string, failed: number): void {
    const k = keyOf(scope, scopeValue, field, bucket, value);
    const c = this.facets.get(k);
    if (c === undefined) this.facets.set(k, { scope, scopeValue, field, bucket, value, count: 1, failures: failed });
    else {
      c.count++;
      c.failures += failed;
    }
  }

  private addSeen(principal: string, field: string, value: string, t: number): void {
    const k = keyOf(principal, field, value);
    const c = this.seen.get(k);
    if (c === undefined) this.seen.set(k, { principal, field, value, first: t, last: t, count: 1 });
    else {
      c.first = Math.min(c.first, t);
      c.last = Math.max(c.last, t);
      c.count++;
    }
  }
}

/** Each facet's value of one event, as text: the same values FACET_SQL reads back from the columns. */
function facetValues(row: StoredAuditRow, e: AuditEvent): Record<AuditFacetField, string | null> {
  return {
    'event.action': row.event_name,
    'event.outcome': row.success === 1 ? 'success' : 'failure',
    'cloud.account.id': e.accountId,
    'cloud.region': e.region,
    'keyscope.principal.caller': row.principal,
    'source.ip': row.source_ip_bin === null ? null : row.source_ip,
    'user_agent.original': e.userAgent,
    'kms.key.arn': row.key_arn,
    'error.code': row.error_code_written,
  };
}

function prepare(db: Database) {
  const cols = AUDIT_EVENT_COLUMNS;
  return {
    event: db.prepare(`INSERT INTO audit_events (${cols.join(', ')}) VALUES (${cols.map((c) => `@${c}`).join(', ')}) ON CONFLICT (id) DO NOTHING`),
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
