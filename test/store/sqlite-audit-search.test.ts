import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEvent } from '../../lib/model/audit-event';
import type { QueryNode } from '../../lib/query-language/ast';
import { compareUtf8, matches } from '../../lib/query-language/evaluate';
import { CONTEXT_PREFIX, resolveField } from '../../lib/query-language/fields';
import { AUDIT_FACET_FIELDS, CONTEXT_KEYS_FACET } from '../../lib/store/sqlite/sql/audit-columns';
import { auditFacetsSql } from '../../lib/store/sqlite/sql/audit-facets';
import { newPrincipalsSql, principalSeenSql } from '../../lib/store/sqlite/sql/audit-principal';
import { auditCountSql, auditHistogramSql, auditPageSql, nextAuditCursor, rollupPlan, type AuditCursor, type AuditRange } from '../../lib/store/sqlite/sql/audit-search';
import type { SqlQuery } from '../../lib/store/sqlite/sql/query';
import type { Store } from '../../lib/store/types';
import { KEY_ARN } from '../support/cloudtrail-fixtures';
import { dumpTables, openTempStore } from '../support/temp-store';
import { HOUR, PRINCIPALS, SPAN, T0, fixtureEvents } from './sqlite-audit-fixture';

const events = fixtureEvents();
/** Fresh store, one writer, events in order: seq is the position + 1. */
const seqOf = new Map(events.map((e, i) => [e.id, i + 1]));
let db: Database.Database;
let store: Store;
let path: string;
let cleanup: () => Promise<void>;

beforeAll(async () => {
  ({ store, path, cleanup } = await openTempStore(() => T0 + SPAN));
  for (let i = 0; i < events.length; i += 333) await store.writeBatch({ auditEvents: events.slice(i, i + 333) });
  db = new Database(path, { readonly: true });
});
afterAll(async () => {
  db.close();
  await cleanup();
});

const all = <T>(q: SqlQuery): T[] => db.prepare(q.sql).all(q.params) as T[];
const term = (field: string, value: string): QueryNode => ({ kind: 'term', field, value });
const TREES: Array<[string, QueryNode]> = [
  ['every event', { kind: 'all' }],
  ['one key', term('kms.key.arn', KEY_ARN)],
  ['one principal', term('keyscope.principal.caller', PRINCIPALS[0] as string)],
  ['an action', term('event.action', 'Decrypt')],
  ['a context value or a CIDR', { kind: 'or', children: [term(`${CONTEXT_PREFIX}tenant`, 'acme'), { kind: 'cidr', field: 'source.ip', family: 6, network: '2001:db8::', prefix: 32 }] }],
  ['nothing', term('event.action', 'NoSuchAction')],
];
const RANGES: Array<[string, AuditRange]> = [
  ['whole hours', { fromMs: T0, toMs: T0 + SPAN }],
  ['cut hours', { fromMs: T0 + 1.5 * HOUR + 17, toMs: T0 + 26.25 * HOUR }],
  ['inside one hour', { fromMs: T0 + 3 * HOUR + 60_000, toMs: T0 + 3 * HOUR + 1_800_000 }],
];
const CASES = TREES.flatMap(([tn, t]) => RANGES.map(([rn, r]) => [`${tn}, ${rn}`, t, r] as const));

function matched(node: QueryNode, r: AuditRange): AuditEvent[] {
  return events.filter((e) => Date.parse(e.time) >= r.fromMs && Date.parse(e.time) < r.toMs && matches(node, e));
}

type FacetRow = { field: string; value: string | null; count: number; failures: number };
const facetOrder = (a: FacetRow, b: FacetRow): number =>
  compareUtf8(a.field, b.field) || Number(a.value === null) - Number(b.value === null) || b.count - a.count || compareUtf8(a.value ?? '', b.value ?? '');

function oracleFacets(es: AuditEvent[], top: number): FacetRow[] {
  const failed = (e: AuditEvent): number => (e.outcome === 'failure' ? 1 : 0);
  const rows: FacetRow[] = [{ field: '', value: '', count: es.length, failures: es.reduce((n, e) => n + failed(e), 0) }];
  const valuesOf: Array<[string, (e: AuditEvent) => readonly string[]]> = [
    ...AUDIT_FACET_FIELDS.map((f) => [f, (e: AuditEvent) => resolveField(f)!.values(e).map(String)] as [string, (e: AuditEvent) => string[]]),
    [CONTEXT_KEYS_FACET, (e) => Object.keys(e.encryptionContext ?? {})],
  ];
  for (const [field, values] of valuesOf) {
    const counts = new Map<string, FacetRow>();
    for (const e of es) {
      for (const v of values(e)) {
        const c = counts.get(v) ?? { field, value: v, count: 0, failures: 0 };
        c.count++;
        c.failures += failed(e);
        counts.set(v, c);
      }
    }
    const sorted = [...counts.values()].sort(facetOrder);
    rows.push(...sorted.slice(0, top));
    const rest = sorted.slice(top);
    if (rest.length > 0) rows.push({ field, value: null, count: rest.reduce((n, c) => n + c.count, 0), failures: rest.reduce((n, c) => n + c.failures, 0) });
  }
  return rows.sort(facetOrder);
}

describe('audit search builders against the oracle', () => {
  it('the rollups apply to every event, one key and one principal over at least one whole hour, and to nothing else', () => {
    const r = RANGES[1]![1];
    expect(rollupPlan({ kind: 'all' }, r)).toMatchObject({ scope: '', midFrom: T0 + 2 * HOUR, midTo: T0 + 26 * HOUR });
    expect(rollupPlan(term('kms.key.arn', KEY_ARN), r)?.scope).toBe('kms.key.arn');
    expect(rollupPlan(term('KEYSCOPE.principal.caller', 'x'), r)?.scope).toBe('keyscope.principal.caller');
    expect(rollupPlan(term('event.action', 'Decrypt'), r)).toBeNull();
    expect(rollupPlan({ kind: 'all' }, RANGES[2]![1])).toBeNull();
  });

  it.each(CASES)('facets: %s', (_name, node, range) => {
    for (const top of [3, 50]) {
      const rows = all<FacetRow>(auditFacetsSql(node, range, top));
      expect(rows).toEqual(oracleFacets(matched(node, range), top));
    }
  });

  it.each(CASES)('count, exact and capped: %s', (_name, node, range) => {
    const n = matched(node, range).length;
    expect(all(auditCountSql(node, range, 100_000))).toEqual([{ n, exact: 1 }]);
    const capped = all<{ n: number; exact: number }>(auditCountSql(node, range, 10))[0]!;
    if (rollupPlan(node, range) !== null || n <= 10) expect(capped).toEqual({ n, exact: 1 });
    else expect(capped).toEqual({ n: 10, exact: 0 });
  });

  it.each(CASES)('histogram by 1 h, 2 h and 15 min: %s', (_name, node, range) => {
    for (const interval of [HOUR, 2 * HOUR, 15 * 60_000]) {
      const buckets = new Map<number, { t: number; count: number; failures: number }>();
      for (const e of matched(node, range)) {
        const t = Math.floor(Date.parse(e.time) / interval) * interval;
        const b = buckets.get(t) ?? { t, count: 0, failures: 0 };
        b.count++;
        b.failures += e.outcome === 'failure' ? 1 : 0;
        buckets.set(t, b);
      }
      expect(all(auditHistogramSql(node, range, interval))).toEqual([...buckets.values()].sort((a, b) => a.t - b.t));
    }
  });

  it.each(CASES)('keyset pages newest first, then by seq, through the whole result (the export cursor): %s', (_name, node, range) => {
    const expected = matched(node, range)
      .sort((a, b) => Date.parse(b.time) - Date.parse(a.time) || (seqOf.get(b.id) as number) - (seqOf.get(a.id) as number))
      .map((e) => e.id);
    const got: string[] = [];
    let after: AuditCursor | undefined;
    for (let pages = 0; pages < 1000; pages++) {
      const rows = all<{ seq: number; time_ms: number; doc: string }>(auditPageSql(node, range, 37, after));
      got.push(...rows.map((r) => (JSON.parse(r.doc) as AuditEvent).id));
      const next = nextAuditCursor(rows, 37);
      if (next === null) break;
      after = next;
    }
    expect(got).toEqual(expected);
  });

  it('the fixture has ties in time, so the tie-breaker is exercised', () => {
    const times = events.map((e) => Date.parse(e.time));
    expect(new Set(times).size).toBeLessThan(times.length - 100);
  });

  it('principal pages: first and last seen, and what is new since a time', () => {
    const p = PRINCIPALS[0] as string;
    const mine = events.filter((e) => e.principal.name === p);
    const seen = new Map<string, { field: string; value: string; first_ms: number; last_ms: number; count: number }>();
    const add = (field: string, value: string | null, t: number) => {
      if (value === null) return;
      const k = JSON.stringify([field, value]);
      const s = seen.get(k) ?? { field, value, first_ms: t, last_ms: t, count: 0 };
      s.first_ms = Math.min(s.first_ms, t);
      s.last_ms = Math.max(s.last_ms, t);
      s.count++;
      seen.set(k, s);
    };
    for (const e of mine) {
      const t = Date.parse(e.time);
      add('', '', t);
      add('kms.key.arn', e.keyArn, t);
      add('source.address', e.sourceIp, t);
      add('cloud.region', e.region, t);
      add('user_agent.original', e.userAgent, t);
      for (const [k, v] of Object.entries(e.encryptionContext ?? {})) add(CONTEXT_PREFIX + k, v, t);
    }
    // Halfway through the first sightings, so some values are new and some are not.
    const firsts = [...seen.values()].filter((s) => s.field !== '').map((s) => s.first_ms).sort((a, b) => a - b);
    const since = firsts[Math.floor(firsts.length / 2)] as number;
    const expected = [...seen.values()].filter((s) => s.field === '' || s.first_ms >= since);
    expect(expected.length).toBeLessThan(seen.size);
    const rows = all<{ field: string; value: string; first_ms: number }>(principalSeenSql(p, since));
    expect(rows.length).toBeGreaterThan(1);
    expect(rows[0]).toMatchObject({ field: '', first_ms: Math.min(...mine.map((e) => Date.parse(e.time))) });
    const key = (s: { field: string; value: string }) => JSON.stringify([s.field, s.value]);
    expect([...rows].sort((a, b) => compareUtf8(key(a), key(b)))).toEqual(expected.sort((a, b) => compareUtf8(key(a), key(b))));
    const callers = all<{ principal: string }>(newPrincipalsSql(0, 100)).map((r) => r.principal).sort(compareUtf8);
    expect(callers).toEqual([...new Set(events.map((e) => e.principal.name).filter((n): n is string => n !== null))].sort(compareUtf8));
  });

  it('a replayed batch writes nothing, side tables and rollups included', async () => {
    const before = dumpTables(path);
    const r = await store.writeBatch({ auditEvents: [...events.slice(0, 50), ...events.slice(0, 50)] });
    expect(r.auditEvents).toEqual({ inserted: 0, updated: 0, duplicates: 100 });
    const after = dumpTables(path);
    for (const table of ['audit_events', 'audit_event_context', 'audit_context_pairs', 'audit_facets_1h', 'audit_principal_seen', 'dict']) {
      expect(after[table], table).toEqual(before[table]);
    }
    expect((after.audit_event_context as unknown[]).length).toBe(events.reduce((n, e) => n + Object.keys(e.encryptionContext ?? {}).length, 0));
  });
});

describe('query plans: selective filters read an index, not the range', () => {
  const range: AuditRange = { fromMs: T0, toMs: T0 + SPAN };
  const plan = (q: SqlQuery): string => (db.prepare(`EXPLAIN QUERY PLAN ${q.sql}`).all(q.params) as { detail: string }[]).map((r) => r.detail).join('\n');
  // A CIDR block's selectivity is unknown without statistics: a page may rightly walk time (LIMIT), counts use the block.
  const cidr: QueryNode = { kind: 'cidr', field: 'source.ip', family: 4, network: '10.0.0.0', prefix: 8 };
  it('a CIDR block: count, histogram and facets', () => {
    for (const q of [auditCountSql(cidr, range, 1000), auditHistogramSql(cidr, range, 15 * 60_000), auditFacetsSql(cidr, range, 5)]) {
      expect(plan(q)).toContain('ix_audit_events_source_ip_time');
    }
  });
  const cases: Array<[string, QueryNode, string]> = [
    ['a key', term('kms.key.arn', KEY_ARN), 'ix_audit_events_key_arn_time'],
    ['a principal', term('keyscope.principal.caller', PRINCIPALS[1] as string), 'ix_audit_events_caller_time'],
    ['an action', term('event.action', 'PutKeyPolicy'), 'ix_audit_events_action_time'],
    ['a user', term('user.name', 'arn:aws:iam::111122223333:user/Alice'), 'ix_audit_events_user_time'],
  ];
  it.each(cases)('%s: page, count and facets', (_name, node, index) => {
    for (const q of [auditPageSql(node, range, 50), auditCountSql(node, range, 1000), auditHistogramSql(node, range, 15 * 60_000), auditFacetsSql({ kind: 'and', children: [node, { kind: 'exists', field: 'event.id' }] }, range, 5)]) {
      const p = plan(q);
      expect(p).toContain(index);
      expect(p).not.toMatch(/SCAN audit_events(?! USING)/);
    }
  });

  it('every event over whole hours reads the rollups, and audit_events only for the partial hours', () => {
    const cut: AuditRange = { fromMs: T0 + 1.5 * HOUR, toMs: T0 + 26.25 * HOUR };
    for (const q of [auditFacetsSql({ kind: 'all' }, cut, 5), auditCountSql({ kind: 'all' }, cut, 10), auditHistogramSql({ kind: 'all' }, cut, HOUR)]) {
      const p = plan(q);
      expect(p).toMatch(/SEARCH audit_facets_1h USING PRIMARY KEY/);
      expect(p).toMatch(/SEARCH audit_events USING (COVERING )?INDEX ix_audit_events_time \(time_ms>\? AND time_ms<\?\)/);
      expect(p).not.toMatch(/SCAN audit_events(?! USING)/);
    }
  });
});
