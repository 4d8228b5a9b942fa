import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SeededRandom } from '../../lib/engine/random';
import type { QueryNode, WildcardSegment } from '../../lib/query-language/ast';
import { matches } from '../../lib/query-language/evaluate';
import { AUDIT_FIELDS } from '../../lib/query-language/fields';
import { MAPPED_FIELDS } from '../../lib/store/sqlite/sql/audit-columns';
import { compileAuditFilter, globOf, prefixUpper } from '../../lib/store/sqlite/sql/audit-filter';
import { auditWhere, type AuditRange } from '../../lib/store/sqlite/sql/audit-search';
import { KEY2_ARN, KEY_ARN } from '../support/cloudtrail-fixtures';
import { openTempStore } from '../support/temp-store';
import { HOUR, INJECTION, PRINCIPALS, SPAN, T0, fixtureEvents } from './sqlite-audit-fixture';

const events = fixtureEvents();
let db: Database.Database;
let cleanup: () => Promise<void>;

beforeAll(async () => {
  const t = await openTempStore(() => T0 + SPAN);
  cleanup = t.cleanup;
  for (let i = 0; i < events.length; i += 400) await t.store.writeBatch({ auditEvents: events.slice(i, i + 400) });
  db = new Database(t.path, { readonly: true });
});
afterAll(async () => {
  db.close();
  await cleanup();
});

const lit = (text: string): WildcardSegment => ({ kind: 'literal', text });
const ANY: WildcardSegment = { kind: 'any' };
const ONE: WildcardSegment = { kind: 'one' };
const term = (field: string, value: string | boolean): QueryNode => ({ kind: 'term', field, value });
const wild = (field: string, ...segments: WildcardSegment[]): QueryNode => ({ kind: 'wildcard', field, segments });
const not = (child: QueryNode): QueryNode => ({ kind: 'not', child });
const and = (...children: QueryNode[]): QueryNode => ({ kind: 'and', children });
const or = (...children: QueryNode[]): QueryNode => ({ kind: 'or', children });
const exists = (field: string): QueryNode => ({ kind: 'exists', field });
const cidr = (network: string, prefix: number, family: 4 | 6 = network.includes(':') ? 6 : 4): QueryNode => ({ kind: 'cidr', field: 'source.ip', family, network, prefix });
const CTX = 'kms.encryption_context.';

/** Leaves over every field kind, values present, absent and hostile. */
const LEAVES: QueryNode[] = [
  term('event.action', 'Decrypt'), term('event.action', 'Decrypt[*]'), wild('event.action', lit('Decrypt[*]')), wild('event.action', lit('Dec'), ANY),
  wild('event.action', ANY, lit('crypt')), wild('event.action', ONE, lit('ncrypt')), wild('event.action', lit('Decrypt['), ANY), wild('event.action', ANY),
  term('event.outcome', 'failure'), term('event.outcome', 'success'), wild('event.outcome', lit('fail'), ANY), term('event.outcome', 'Failure'),
  term('error.code', 'AccessDenied'), term('error.code', 'AccessDeniedException'), wild('error.code', ANY, lit('Exception')), exists('error.code'),
  term('error.message', 'denied'), term('error.message', 'über'), term('error.message', 'ÜBER DENIED'), term('error.message', '[abc]*?'), term('error.message', INJECTION),
  term('user.name', 'arn:aws:iam::111122223333:user/Alice'), wild('user.name', lit('arn:aws:sts::'), ANY), term('user.name', 'AIDAEXAMPLE'), exists('user.name'),
  term('user.id', INJECTION), wild('user.id', lit('AROA'), ANY),
  ...PRINCIPALS.map((p) => term('keyscope.principal.caller', p)), exists('keyscope.principal.caller'), wild('keyscope.principal.caller', ANY, lit('orders')),
  term('keyscope.principal.account_id', '444455556666'), term('aws.cloudtrail.user_identity.type', 'AssumedRole'),
  wild('aws.cloudtrail.user_identity.access_key_id', lit('ASIA'), ANY), exists('aws.cloudtrail.user_identity.invoked_by'),
  term('aws.cloudtrail.user_identity.session_context.session_issuer.arn', 'arn:aws:iam::111122223333:role/orders'),
  cidr('10.0.0.0', 8), cidr('10.0.0.0', 24), cidr('0.0.0.0', 0), cidr('203.0.113.9', 32), cidr('2001:db8::', 32), cidr('::ffff:0:0', 96), cidr('::', 0),
  cidr('fe80::', 10), cidr('10.0.0.9', 32), term('source.ip', '10.0.0.1'), term('source.ip', '::ffff:10.0.0.9'), term('source.ip', 'kms.amazonaws.com'), exists('source.ip'),
  term('source.address', 'kms.amazonaws.com'), term('source.address', INJECTION), term('source.address', '10.0.0.1'), wild('source.address', lit('10.0.'), ANY),
  { kind: 'range', field: 'source.address', lower: { value: '10.1', inclusive: true }, upper: { value: '2001:db8::1', inclusive: false } },
  { kind: 'cidr', field: 'source.address', family: 4, network: '10.0.0.0', prefix: 16 },
  wild('user_agent.original', lit('aws-'), ANY), term('user_agent.original', INJECTION), wild('user_agent.original', lit('['), ANY, lit(']')),
  term('cloud.region', 'us-east-1'), exists('cloud.region'), { kind: 'range', field: 'cloud.region', lower: { value: 'eu', inclusive: false }, upper: { value: 'us-east-1', inclusive: true } },
  term('cloud.account.id', '444455556666'), term('kms.key.arn', KEY_ARN), term('kms.key.arn', KEY2_ARN), wild('kms.key.arn', lit('arn:aws:kms:us-west-2:'), ANY),
  exists('kms.key.arn'), term('kms.key.id', KEY_ARN.split('/')[1] as string), term('kms.key.material_id', 'a'.repeat(64)), exists('kms.key.material_id'),
  wild('kms.key.material_id', lit('0123'), ANY), exists('kms.request_id'), term('aws.cloudtrail.event_type', 'AwsServiceEvent'),
  term('aws.cloudtrail.read_only', true), term('aws.cloudtrail.read_only', false), term('aws.cloudtrail.management_event', true), term('keyscope.cross_account', true),
  term('aws.cloudtrail.read_only', 'true'), term('event.action', true), exists('aws.cloudtrail.read_only'),
  exists(`${CTX}tenant`), term(`${CTX}tenant`, 'acme'), term(`${CTX}Tenant`, 'acme'), wild(`${CTX}tenant`, lit('ac'), ANY), term(`${CTX}order`, '[x]*?'),
  wild(`${CTX}order`, lit('[x]'), ANY), term(`${CTX}tenant`, INJECTION), { kind: 'range', field: `${CTX}tenant`, lower: { value: 'a', inclusive: true } },
  term(`${CTX}ünï`, 'cödé'), exists(`${CTX}nokey`), term(`${CTX}aws:ebs:id`, 'vol-0f1e2d3c4b5a69788'), exists(`${CTX}${INJECTION}`),
  { kind: 'range', field: '@timestamp', lower: { value: new Date(T0 + 5 * HOUR).toISOString(), inclusive: true }, upper: { value: new Date(T0 + 9 * HOUR).toISOString(), inclusive: false } },
  { kind: 'range', field: '@timestamp', lower: { value: events[100]?.time as string, inclusive: false } },
  { kind: 'range', field: '@timestamp', upper: { value: new Date(Date.parse(events[100]?.time as string)).toISOString(), inclusive: true } },
  term('@timestamp', new Date(Date.parse(events[200]?.time as string)).toISOString()), term('event.id', events[3]?.id as string), exists('event.id'),
  { kind: 'range', field: 'event.action', lower: { value: 'E', inclusive: true }, upper: { value: 'R', inclusive: false } },
];

const RANGES: AuditRange[] = [
  { fromMs: T0, toMs: T0 + SPAN },
  { fromMs: T0 + 1.5 * HOUR, toMs: T0 + 20.25 * HOUR },
];

function viaSql(node: QueryNode, range: AuditRange): string[] {
  const w = auditWhere(node, range);
  return (db.prepare(`SELECT id FROM audit_events WHERE ${w.sql}`).all(w.params) as { id: string }[]).map((r) => r.id).sort();
}

function viaOracle(node: QueryNode, range: AuditRange): string[] {
  return events.filter((e) => {
    const t = Date.parse(e.time);
    return t >= range.fromMs && t < range.toMs && matches(node, e);
  }).map((e) => e.id).sort();
}

/** A random tree of depth ≤ 3 over the leaves. */
function randomTree(r: SeededRandom, depth: number): QueryNode {
  if (depth === 0 || r.chance(0.3)) return r.pick(LEAVES);
  const k = r.int(0, 2);
  if (k === 0) return not(randomTree(r, depth - 1));
  const children = Array.from({ length: r.int(2, 3) }, () => randomTree(r, depth - 1));
  return k === 1 ? and(...children) : or(...children);
}

describe('audit filter SQL (lib/store/sqlite/sql/audit-filter.ts) against the oracle', () => {
  it('maps every catalog field to a column', () => {
    expect([...MAPPED_FIELDS].sort()).toEqual(AUDIT_FIELDS.map((f) => f.name).sort());
  });

  it('the fixture is varied enough to mean something', () => {
    expect(events.length).toBeGreaterThan(1500);
    // Every leaf is tested both ways: at least one leaf matches some events and misses others.
    const split = LEAVES.filter((l) => {
      const n = viaOracle(l, RANGES[0] as AuditRange).length;
      return n > 0 && n < events.length;
    });
    expect(split.length).toBeGreaterThan(LEAVES.length * 0.8);
  });

  it.each(LEAVES.map((l, i) => [i, JSON.stringify(l).slice(0, 120), l] as const))('leaf %i %s, and its negation', (_i, _label, leaf) => {
    for (const range of RANGES) {
      expect(viaSql(leaf, range)).toEqual(viaOracle(leaf, range));
      expect(viaSql(not(leaf), range)).toEqual(viaOracle(not(leaf), range));
    }
  });

  it('nested trees with negations', () => {
    const trees: QueryNode[] = [
      { kind: 'all' }, not({ kind: 'all' }),
      and(term('event.outcome', 'failure'), not(term('error.code', 'ThrottlingException')), or(cidr('10.0.0.0', 8), cidr('2001:db8::', 32))),
      not(or(term(`${CTX}tenant`, 'acme'), not(exists('kms.key.arn')))),
      not(not(term('cloud.region', 'ap-south-1'))),
      and(term('kms.key.arn', KEY_ARN), not(term('keyscope.principal.caller', PRINCIPALS[0] as string)), not(exists('user_agent.original'))),
      or(and(term('aws.cloudtrail.read_only', false), wild('event.action', lit('Dec'), ANY)), and(not(term('aws.cloudtrail.read_only', false)), exists(`${CTX}tenant`))),
    ];
    for (const t of trees) for (const range of RANGES) expect(viaSql(t, range), JSON.stringify(t)).toEqual(viaOracle(t, range));
  });

  it('random trees of every node kind (300, seeded)', () => {
    const r = new SeededRandom(14);
    for (let i = 0; i < 300; i++) {
      const t = randomTree(r, 3);
      const range = RANGES[i % RANGES.length] as AuditRange;
      expect(viaSql(t, range), JSON.stringify(t)).toEqual(viaOracle(t, range));
    }
  });

  it('binds every value: none appears in the SQL text, and the database is intact after hostile values', () => {
    const hostile = [INJECTION, "' OR 1=1 --", '"; SELECT 1; --', 'nul\u0000byte', 'pct%_under'];
    for (const v of hostile) {
      for (const node of [term('event.action', v), wild('user.name', lit(v), ANY), term(`${CTX}${v}`, v), term('error.message', v),
        { kind: 'range', field: 'cloud.region', lower: { value: v, inclusive: true } } as QueryNode]) {
        const q = compileAuditFilter(node);
        expect(q.sql).not.toContain(v);
        expect(Object.values(q.params)).toContain(v);
        expect(viaSql(node, RANGES[0] as AuditRange)).toEqual(viaOracle(node, RANGES[0] as AuditRange));
      }
    }
    expect((db.prepare('SELECT COUNT(*) AS n FROM audit_events').get() as { n: number }).n).toBe(events.length);
  });

  it('GLOB escaping and prefix bounds', () => {
    expect(globOf([lit('a[b*c?d'), ANY, ONE])).toBe('a[[]b[*]c[?]d*?');
    expect(prefixUpper('abc')).toBe('abd');
    expect(prefixUpper('a\u{10FFFF}')).toBeNull();
    expect(prefixUpper('x\uD7FF')).toBe('x\uE000');
    expect(prefixUpper('')).toBeNull();
  });

  it('rejects a field outside the catalog rather than guessing', () => {
    expect(() => compileAuditFilter(term('no.such.field', 'x'))).toThrow(/unknown audit field/);
  });
});
