import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ZodError } from 'zod';
import type { AuditEvent } from '../../lib/model/audit-event';
import type { QueryNode } from '../../lib/query-language/ast';
import { compareUtf8, matches } from '../../lib/query-language/evaluate';
import { resolveField } from '../../lib/query-language/fields';
import { parseQuery } from '../../lib/query-language/parse';
import { TOTAL_CAP } from '../../lib/questions/audit-common';
import { AUDIT_FACETS } from '../../lib/questions/audit-facets/definition';
import { planFor } from '../../lib/questions/buckets';
import { auditEvent, auditFacets, auditHistogram, auditSearch } from '../../lib/questions/registry';
import type { Store } from '../../lib/store/types';
import { KEY2_ARN, KEY_ARN, KEY_ID } from '../support/cloudtrail-fixtures';
import { HOUR, INJECTION, PRINCIPALS, SPAN, T0, fixtureEvents, generatedEvents } from '../store/sqlite-audit-fixture';
import { BACKENDS, openEmptyStore, type BackendName, type OpenedStore } from './support/backends';

/*
 * The four audit questions on every backend against the oracle (lib/query-language/evaluate.ts
 * `matches` over the events written), never one backend against another: page contents and
 * order, every page through the cursor, totals up to and past TOTAL_CAP, facets, histogram,
 * event by id; every answer parsed with its question's result schema. Elasticsearch runs
 * when the integration tier provides a node; SQLite always.
 */
const backends: BackendName[] = inject('elasticsearchUrl') === undefined ? ['sqlite'] : BACKENDS;

const fixture = fixtureEvents();
/** More than TOTAL_CAP events in one hour of their own, 300 ms apart: totals at and past the cap. */
const CAP_T0 = T0 + 3 * 24 * HOUR;
const CAP_N = TOTAL_CAP + 50;
const capEvents = generatedEvents(99, CAP_N).map((e, i) => ({ ...e, time: new Date(CAP_T0 + i * 300).toISOString() }));
const events: AuditEvent[] = [...fixture, ...capEvents];
const byId = new Map(events.map((e) => [e.id, e]));

const iso = (ms: number): string => new Date(ms).toISOString();
type Range = { from: string; to: string };
const WHOLE: Range = { from: iso(T0), to: iso(T0 + SPAN) };
const CUT: Range = { from: iso(T0 + 1.5 * HOUR + 17), to: iso(T0 + 26.25 * HOUR) };
const CAP_HOUR: Range = { from: iso(CAP_T0), to: iso(CAP_T0 + HOUR) };

const stores = new Map<BackendName, OpenedStore>();
beforeAll(async () => {
  for (const b of backends) {
    const o = await openEmptyStore(b, () => CAP_T0 + 2 * HOUR);
    stores.set(b, o);
    let inserted = 0;
    for (let i = 0; i < events.length; i += 1000) inserted += (await o.store.writeBatch({ source: 'cloudtrail-files', auditEvents: events.slice(i, i + 1000) })).auditEvents.inserted;
    expect(inserted, `${b}: every event written`).toBe(events.length);
  }
});
afterAll(async () => {
  for (const o of stores.values()) await o.cleanup();
});
const store = (b: BackendName): Store => stores.get(b)!.store;

// ---- the oracle

const timeMs = (e: AuditEvent): number => Date.parse(e.time);
/** Newest first, ties by event id descending (UTF-8 order): the definition's order. */
const newestFirst = (a: AuditEvent, b: AuditEvent): number => timeMs(b) - timeMs(a) || compareUtf8(b.id, a.id);

function matched(node: QueryNode, r: Range): AuditEvent[] {
  const from = Date.parse(r.from);
  const to = Date.parse(r.to);
  return events.filter((e) => timeMs(e) >= from && timeMs(e) < to && matches(node, e)).sort(newestFirst);
}
const rowOf = ({ raw: _raw, ...row }: AuditEvent): Omit<AuditEvent, 'raw'> => row;
const totalOf = (n: number) => (n > TOTAL_CAP ? { value: TOTAL_CAP, relation: 'gte' } : { value: n, relation: 'eq' });

function oracleFacets(es: AuditEvent[], top: number) {
  return AUDIT_FACETS.map((field) => {
    const valuesOf = field === 'kms.encryption_context'
      ? (e: AuditEvent) => Object.keys(e.encryptionContext ?? {})
      : (e: AuditEvent) => resolveField(field)!.values(e).map(String);
    const counts = new Map<string, number>();
    let missing = 0;
    for (const e of es) {
      const vs = valuesOf(e);
      if (vs.length === 0) missing++;
      for (const v of vs) counts.set(v, (counts.get(v) ?? 0) + 1);
    }
    const sorted = [...counts].map(([value, count]) => ({ value, count })).sort((a, b) => b.count - a.count || compareUtf8(a.value, b.value));
    return { field, values: sorted.slice(0, top), other: sorted.slice(top).reduce((n, v) => n + v.count, 0), missing };
  });
}

function oracleHistogram(es: AuditEvent[], r: Range) {
  const plan = planFor(r);
  const points = plan.starts.map((t) => ({ t: iso(t), success: 0, failure: 0 }));
  for (const e of es) {
    const p = points[Math.floor((timeMs(e) - plan.fromMs) / plan.bucketMs)]!;
    if (e.outcome === 'failure') p.failure++;
    else p.success++;
  }
  return { bucketMs: plan.bucketMs, from: iso(plan.fromMs), to: iso(plan.toMs), points, total: es.length };
}

// ---- the queries: text as the query bar sends it (parsed at the edge), and trees only in-process callers build

const ctx = 'kms.encryption_context.';
const TEXTS: string[] = [
  '', 'event.action:Decrypt', 'not event.action:Decrypt', 'event.action:"Decrypt[*]"', 'event.action:Decrypt\\[*', 'event.action:Dec*',
  'event.action:*crypt', 'event.action:?ncrypt', 'event.action:*', 'event.outcome:failure', 'not event.outcome:success', 'event.outcome:Failure',
  'error.code:*', 'not error.code:*', 'error.code:*Exception', 'error.code:AccessDenied', 'error.code:AccessDeniedException',
  'error.message:denied', 'error.message:"ÜBER DENIED"', 'error.message:über', 'error.message:"rate exc"', 'error.message:"[abc]*?"',
  'error.message:ENIED', `error.message:"${INJECTION}"`, 'not error.message:denied', 'error.message:*',
  'user.name:"arn:aws:iam::111122223333:user/Alice"', 'user.name:arn:aws:sts::*', 'not user.name:*', 'user.name:AIDAEXAMPLE',
  `user.id:"${INJECTION}"`, 'user.id:AROA*',
  ...PRINCIPALS.map((p) => `keyscope.principal.caller:"${p}"`), 'keyscope.principal.caller:*orders', 'not keyscope.principal.caller:*',
  'keyscope.principal.account_id:444455556666', 'aws.cloudtrail.user_identity.type:AssumedRole', 'aws.cloudtrail.user_identity.access_key_id:ASIA*',
  'aws.cloudtrail.user_identity.invoked_by:*', '"aws.cloudtrail.user_identity.session_context.session_issuer.arn":"arn:aws:iam::111122223333:role/orders"',
  'source.ip:10.0.0.0/8', 'source.ip:10.0.0.0/24', 'source.ip:0.0.0.0/0', 'source.ip:203.0.113.9', 'source.ip:2001:db8::/32', 'source.ip:::ffff:0:0/96',
  'source.ip:::/0', 'source.ip:fe80::/10', 'source.ip:10.0.0.9', 'source.ip:::ffff:10.0.0.9', 'source.ip:::ffff:10.0.0.0/104', 'not source.ip:10.0.0.0/8',
  'source.ip:*', 'not source.ip:*', 'source.address:kms.amazonaws.com', `source.address:"${INJECTION}"`, 'source.address:10.0.*',
  'source.address:[10.1 TO 2001:db8::1}', 'source.address:"AWS Internal"',
  'user_agent.original:aws-*', `user_agent.original:"${INJECTION}"`, 'user_agent.original:\\[*\\]',
  'cloud.region:us-east-1', 'cloud.region:*', 'cloud.region:{eu TO us-east-1]', 'cloud.region > eu', 'cloud.account.id:444455556666',
  `kms.key.arn:"${KEY_ARN}"`, `kms.key.arn:"${KEY2_ARN}"`, 'kms.key.arn:arn:aws:kms:us-west-2:*', 'not kms.key.arn:*', `kms.key.id:${KEY_ID}`,
  `kms.key.material_id:${'a'.repeat(64)}`, 'kms.key.material_id >= b', 'kms.key.material_id:0123*', 'kms.request_id:*',
  'aws.cloudtrail.event_type:AwsServiceEvent', 'aws.cloudtrail.read_only:true', 'aws.cloudtrail.read_only:FALSE', 'not aws.cloudtrail.read_only:*',
  'aws.cloudtrail.management_event:true', 'keyscope.cross_account:true', 'not keyscope.cross_account:false',
  `${ctx}tenant:*`, `not ${ctx}tenant:*`, `${ctx}tenant:acme`, `${ctx}Tenant:acme`, `${ctx}tenant:ac*`, `${ctx}order:"[x]*?"`, `${ctx}order:\\[x\\]*`,
  `${ctx}tenant:"${INJECTION}"`, `${ctx}tenant >= a`, `${ctx}tenant < b`, `${ctx}tenant:[ACME TO acme]`, `${ctx}ünï:c*`, `${ctx}tenant:?c?e`, `${ctx}ünï:cödé`, `"${ctx}aws:ebs:id":vol-*`, `"${ctx}aws:s3:arn":*`, `${ctx}nokey:*`,
  `not ${ctx}tenant:acme`,
  '@timestamp:[2026-03-01T05:00 TO 2026-03-01T09:00}', '@timestamp > 2026-03-01T20:00:00.123Z', '@timestamp:2026-03-01', '@timestamp <= 2026-03-01T03:30',
  'Decrypt', '*Exception', 'AccessDenied', 'kms.amazonaws.com',
  'event.action:Decrypt and not event.outcome:failure', '(event.action:Decrypt or event.action:Encrypt) and cloud.region:us-east-1',
  'event.action:(Decrypt or GenerateDataKey*)', 'event.action:(not Decrypt and not Encrypt)', `not (source.ip:10.0.0.0/8 or ${ctx}tenant:acme)`,
  `${ctx}tenant:acme or source.ip:2001:db8::/32`, `kms.key.arn:"${KEY_ARN}" keyscope.principal.caller:"${PRINCIPALS[0]}"`,
  `not (error.code:* and not error.message:denied) or ${ctx}Tenant:*`, 'not not event.outcome:failure',
  `event.id:${fixture[3]!.id}`, `not event.id:${fixture[3]!.id}`, 'event.action:NoSuchAction', `event.action:"${INJECTION}"`,
];
const term = (field: string, value: string | boolean): QueryNode => ({ kind: 'term', field, value });
const TREES: Array<[string, QueryNode]> = [
  ['tree: ip term as written', term('source.ip', '10.0.0.1')],
  ['tree: ip term, IPv4-mapped', term('source.ip', '::ffff:10.0.0.9')],
  ['tree: ip term, not mapped', term('source.ip', '10.0.0.9')],
  ['tree: boolean field, string value', term('aws.cloudtrail.read_only', 'true')],
  ['tree: keyword field, boolean value', term('event.action', true)],
  ['tree: text field, boolean value', term('error.message', true)],
  ['tree: empty or', { kind: 'not', child: { kind: 'exists', field: 'event.id' } }],
];

function parsed(text: string): QueryNode {
  const r = parseQuery(text);
  if (!r.ok) throw new Error(`fixture query ${JSON.stringify(text)} does not parse: ${r.error.message}`);
  return r.tree;
}
const QUERIES: Array<[string, QueryNode]> = [...TEXTS.map((t) => [t === '' ? '(empty)' : t, parsed(t)] as [string, QueryNode]), ...TREES];
const RANGES: Array<[string, Range]> = [['whole hours', WHOLE], ['cut hours', CUT]];
const CASES = QUERIES.flatMap(([q, node]) => RANGES.map(([rn, r]) => [`${q} (${rn})`, node, r] as const));

/** Pages through a whole result, checking each page's shape; returns the ids in order. */
async function everyPage(s: Store, node: QueryNode, r: Range, limit: number): Promise<string[]> {
  const ids: string[] = [];
  let after: string | undefined;
  for (let pages = 0; pages < 10_000; pages++) {
    const res = auditSearch.result.parse(await s.answer(auditSearch, auditSearch.params.parse({ ...r, query: node, limit, withTotal: false, ...(after ? { after } : {}) })));
    expect(res.total).toBeNull();
    expect(res.events.length).toBeLessThanOrEqual(limit);
    ids.push(...res.events.map((e) => e.id));
    if (res.next === null) return ids;
    expect(res.events).toHaveLength(limit);
    after = res.next;
  }
  throw new Error('paging did not end');
}

describe.each(backends)('%s: audit questions against the oracle', (backend) => {
  it('the fixture means something: ties in time, failures, both IP families, context keys', () => {
    const times = fixture.map(timeMs);
    expect(new Set(times).size).toBeLessThan(times.length - 100);
    expect(fixture.filter((e) => e.outcome === 'failure').length).toBeGreaterThan(100);
    expect(fixture.some((e) => e.sourceIp?.includes(':'))).toBe(true);
    expect(new Set(fixture.flatMap((e) => Object.keys(e.encryptionContext ?? {}))).size).toBeGreaterThan(4);
    // Most queries split the events: some match, some do not.
    const split = QUERIES.filter(([, n]) => { const k = matched(n, WHOLE).length; return k > 0 && k < fixture.length; });
    expect(split.length).toBeGreaterThan(QUERIES.length * 0.8);
  });

  it.each(CASES)('search, every page, facets and histogram: %s', async (_name, node, r) => {
    const s = store(backend);
    const want = matched(node, r);
    const first = auditSearch.result.parse(await s.answer(auditSearch, auditSearch.params.parse({ ...r, query: node, limit: 50 })));
    expect(first.events).toEqual(want.slice(0, 50).map(rowOf));
    expect(first.total).toEqual(totalOf(want.length));
    expect(first.next === null).toBe(want.length <= 50);

    const ids = await everyPage(s, node, r, 173);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(want.map((e) => e.id));

    const facets = auditFacets.result.parse(await s.answer(auditFacets, auditFacets.params.parse({ ...r, query: node, top: 4 })));
    expect(facets.facets).toEqual(oracleFacets(want, 4));

    const histogram = auditHistogram.result.parse(await s.answer(auditHistogram, auditHistogram.params.parse({ ...r, query: node })));
    expect(histogram).toEqual(oracleHistogram(want, r));
  });

  it('facets with a large top: every value, nothing other', async () => {
    const res = auditFacets.result.parse(await store(backend).answer(auditFacets, auditFacets.params.parse({ ...WHOLE, top: 50 })));
    expect(res.facets).toEqual(oracleFacets(matched({ kind: 'all' }, WHOLE), 50));
  });

  it('small pages through ties: limit 1 and 7', async () => {
    const node = parsed('event.action:Decrypt');
    const r = { from: iso(T0), to: iso(T0 + 4 * HOUR) };
    const want = matched(node, r).map((e) => e.id);
    expect(want.length).toBeGreaterThan(20);
    expect(await everyPage(store(backend), node, r, 7)).toEqual(want);
    expect(await everyPage(store(backend), node, r, 1)).toEqual(want);
  });

  it.each([
    ['the whole cap hour (the rollups count it)', CAP_HOUR, parsed('')],
    ['the cap hour by a filter the rollups cannot answer', CAP_HOUR, parsed('event.id:*')],
    ['exactly TOTAL_CAP events', { from: iso(CAP_T0), to: iso(CAP_T0 + TOTAL_CAP * 300) }, parsed('')],
    ['TOTAL_CAP + 1 events', { from: iso(CAP_T0), to: iso(CAP_T0 + TOTAL_CAP * 300 + 1) }, parsed('')],
    ['TOTAL_CAP + 1 events by a filter', { from: iso(CAP_T0), to: iso(CAP_T0 + TOTAL_CAP * 300 + 1) }, parsed('not event.id:nothing')],
    ['under the cap', CAP_HOUR, parsed('event.action:Decrypt')],
  ] as const)('totals exact up to TOTAL_CAP, then at least: %s', async (_name, r, node) => {
    const want = matched(node, r);
    const res = auditSearch.result.parse(await store(backend).answer(auditSearch, auditSearch.params.parse({ ...r, query: node, limit: 20 })));
    expect(res.total).toEqual(totalOf(want.length));
    expect(res.events).toEqual(want.slice(0, 20).map(rowOf));
    const h = auditHistogram.result.parse(await store(backend).answer(auditHistogram, auditHistogram.params.parse({ ...r, query: node })));
    expect(h).toEqual(oracleHistogram(want, r));
  });

  it('pages through more than TOTAL_CAP events at the largest page', async () => {
    const want = matched({ kind: 'all' }, CAP_HOUR).map((e) => e.id);
    expect(want.length).toBe(CAP_N);
    expect(await everyPage(store(backend), { kind: 'all' }, CAP_HOUR, 5000)).toEqual(want);
  });

  it('facets over more than TOTAL_CAP events are exact', async () => {
    const res = auditFacets.result.parse(await store(backend).answer(auditFacets, auditFacets.params.parse({ ...CAP_HOUR, query: 'not event.action:Decrypt', top: 3 })));
    expect(res.facets).toEqual(oracleFacets(matched(parsed('not event.action:Decrypt'), CAP_HOUR), 3));
  });

  it('an event by id, with its raw record; an unknown id is null', async () => {
    const ids = [...fixture.slice(0, 40).map((e) => e.id), fixture[fixture.length - 1]!.id, capEvents[5]!.id];
    for (const id of ids) {
      const res = auditEvent.result.parse(await store(backend).answer(auditEvent, auditEvent.params.parse({ id })));
      expect(res.event).toEqual(byId.get(id));
    }
    for (const id of ['00000000-0000-4000-a000-000000000000', INJECTION, fixture[0]!.id.toUpperCase()]) {
      expect(await store(backend).answer(auditEvent, auditEvent.params.parse({ id }))).toEqual({ event: null });
    }
  });

  it('a malformed cursor is a ZodError naming `after` (the route answers 400)', async () => {
    const bad = ['nope!', Buffer.from('[1]').toString('base64url'), Buffer.from('{"t":1}').toString('base64url'), Buffer.from('[1.5,"x"]').toString('base64url'),
      Buffer.from(`[1,"${'x'.repeat(200)}"]`).toString('base64url'), 'AAAA'];
    for (const after of bad) {
      const err = await store(backend).answer(auditSearch, auditSearch.params.parse({ ...WHOLE, after })).catch((e: unknown) => e);
      expect(err, after).toBeInstanceOf(ZodError);
      expect((err as ZodError).issues[0]?.path).toEqual(['after']);
    }
  });

  it('a cursor from one search continues another at the same place (it holds a position, not a query)', async () => {
    const r = WHOLE;
    const all = matched({ kind: 'all' }, r);
    const first = await store(backend).answer(auditSearch, auditSearch.params.parse({ ...r, limit: 10 }));
    const failures = await store(backend).answer(auditSearch, auditSearch.params.parse({ ...r, query: 'event.outcome:failure', limit: 5, after: first.next! }));
    const last = all[9]!;
    expect(failures.events.map((e) => e.id)).toEqual(all.filter((e) => newestFirst(e, last) > 0 && e.outcome === 'failure').slice(0, 5).map((e) => e.id));
  });
});
