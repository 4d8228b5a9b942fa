import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SeededRandom } from '../../lib/engine/random';
import type { AuditEvent } from '../../lib/model/audit-event';
import type { DekRecord } from '../../lib/model/dek-record';
import type { KeyState } from '../../lib/model/key-state';
import { KEY_CHANGE_EVENTS } from '../../lib/questions/key-detail/definition';
import type { TopList } from '../../lib/questions/key-detail/top-lists';
import { keyDetail, keyUsage, principalDetail } from '../../lib/questions/registry';
import type { Store } from '../../lib/store/types';
import { seededUuid } from '../support/key-operation-generator';
import { BACKENDS, openEmptyStore, type BackendName, type OpenedStore } from './support/backends';

/*
 * The key and principal pages' questions on every backend, against oracles computed here
 * from the written fixture: ten days of calls on two keys by four callers, with management
 * changes, sources, Regions, user agents and encryption contexts, some new in the last week.
 */
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const T0 = Date.UTC(2026, 4, 1);
const END = T0 + 10 * DAY;
const KEYS = ['arn:aws:kms:us-east-1:111122223333:key/0b6f1f3e-aaaa-4a4a-8b8b-00000000000a', 'arn:aws:kms:eu-west-1:111122223333:key/0b6f1f3e-bbbb-4a4a-8b8b-00000000000b'] as const;
const CALLERS = ['arn:aws:iam::111122223333:role/app', 'arn:aws:iam::111122223333:role/batch', 'arn:aws:iam::111122223333:user/alice', 's3.amazonaws.com'] as const;
const iso = (ms: number) => new Date(ms).toISOString();

function fixture(): AuditEvent[] {
  const r = new SeededRandom(81);
  const out: AuditEvent[] = [];
  for (let i = 0; i < 1500; i++) {
    const t = T0 + r.int(0, 10 * DAY - 1);
    const late = t >= END - 7 * DAY;
    const caller = CALLERS[r.int(0, 3)]!;
    const key = KEYS[caller === CALLERS[2] && !late ? 0 : r.int(0, 1)]!;
    const change = r.chance(0.05);
    const failed = r.chance(0.06);
    // alice gains a new source, Region and context value in the last week.
    const newStuff = caller === CALLERS[2] && late && r.chance(0.3);
    out.push({
      id: seededUuid(r), time: iso(t),
      eventName: change ? r.pick(['PutKeyPolicy', 'CreateGrant', 'RevokeGrant', 'DescribeKey', 'EnableKeyRotation']) : r.pick(['Decrypt', 'GenerateDataKey', 'Encrypt']),
      eventType: 'AwsApiCall', readOnly: !change, management: change, keyArn: key, keyId: key.split('/')[1]!, keyMaterialId: null, previousKeyMaterialId: null,
      reEncryptSource: null,
      principal: caller.startsWith('arn')
        ? { type: caller.includes(':user/') ? 'IAMUser' : 'AssumedRole', name: caller, arn: caller, accountId: '111122223333', principalId: 'AID', accessKeyId: null, roleArn: null, invokedBy: null }
        : { type: 'AWSService', name: caller, arn: null, accountId: null, principalId: null, accessKeyId: null, roleArn: null, invokedBy: caller },
      sourceIp: caller === CALLERS[3] ? 's3.amazonaws.com' : newStuff ? '203.0.113.9' : `10.0.0.${r.int(1, 4)}`,
      userAgent: r.pick(['aws-sdk-js/3', 'aws-cli/2', 'Boto3/1.34']),
      region: newStuff ? 'ap-south-1' : key.split(':')[3]!, accountId: '111122223333', crossAccount: false,
      outcome: failed ? 'failure' : 'success', errorCode: failed ? r.pick(['AccessDenied', 'AccessDeniedException', 'ThrottlingException']) : null, errorMessage: null,
      encryptionContext: r.chance(0.5) ? { tenant: newStuff ? 'umbrella' : r.pick(['acme', 'globex']) } : null,
      requestId: seededUuid(r), raw: { eventID: 'x' },
    });
  }
  return out;
}

const state = (keyArn: string): KeyState => ({
  keyArn, keyId: keyArn.split('/')[1]!, accountId: '111122223333', region: keyArn.split(':')[3]!, aliases: ['alias/pages'], state: 'Enabled',
  rotationEnabled: true, rotationPeriodDays: 365, lastRotatedAt: null, currentVersion: 'm2', versions: ['m1', 'm2'],
  createdAt: iso(T0 - 100 * DAY), deletionDate: null, firstUsedAt: iso(T0), lastUsedAt: iso(END), updatedAt: iso(END),
});
function dekRecords(): DekRecord[] {
  return Array.from({ length: 40 }, (_, i) => ({
    objectId: `obj-${i}`, objectPath: `/o/${i}`, dekId: `dek-${i}`, kekId: i % 4 === 0 ? KEYS[0].split('/')[1]! : i % 4 === 1 ? KEYS[1] : KEYS[0],
    kekVersion: i % 5 === 0 ? null : i % 2 === 0 ? 'm1' : 'm2', tenant: 'acme', service: 'svc', encryptionContext: {}, bytes: 10,
    encryptedAt: iso(T0), updatedAt: iso(T0), rotationStatus: i % 3 === 0 ? 'pending_rewrap' : 'current',
  }));
}

const audit = fixture();
const stores = new Map<BackendName, OpenedStore>();
beforeAll(async () => {
  for (const b of BACKENDS) {
    const o = await openEmptyStore(b, () => END);
    await o.store.writeBatch({ source: 'cloudtrail-files', auditEvents: audit, keyStates: [state(KEYS[0])], dekRecords: dekRecords() });
    stores.set(b, o);
  }
});
afterAll(async () => {
  for (const o of stores.values()) await o.cleanup();
});
const store = (b: BackendName): Store => stores.get(b)!.store;

/** Half-hour offsets, so the rollups' whole hours and the scanned ends both count. */
const RANGE = { from: iso(T0 + 2 * DAY + HOUR / 2), to: iso(END - HOUR / 2) };
const inRange = (e: AuditEvent) => Date.parse(e.time) >= Date.parse(RANGE.from) && Date.parse(e.time) < Date.parse(RANGE.to);

function topOracle(events: AuditEvent[], value: (e: AuditEvent) => string | null, top: number): TopList {
  const m = new Map<string, { count: number; failures: number }>();
  for (const e of events) {
    const v = value(e);
    if (v === null) continue;
    const c = m.get(v) ?? { count: 0, failures: 0 };
    c.count++;
    if (e.outcome === 'failure') c.failures++;
    m.set(v, c);
  }
  const sorted = [...m].map(([v, c]) => ({ value: v, ...c })).sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : 1));
  return { values: sorted.slice(0, top), other: sorted.slice(top).reduce((s, c) => s + c.count, 0) };
}
const ip = (e: AuditEvent) => (e.sourceIp !== null && /^\d+\.\d+\.\d+\.\d+$/.test(e.sourceIp) ? e.sourceIp : null);

describe.each(BACKENDS)('%s key page', (backend) => {
  it('keyDetail equals the oracle', async () => {
    const p = keyDetail.params.parse({ ...RANGE, keyArn: KEYS[0], top: 2, changes: 5 });
    const res = keyDetail.result.parse(await store(backend).answer(keyDetail, p));
    const mine = audit.filter((e) => e.keyArn === KEYS[0] && inRange(e));
    expect(res.key?.keyArn).toBe(KEYS[0]);
    expect(res.inAuditTrail).toBe(true);
    expect(res.totals).toEqual({ calls: mine.length, failures: mine.filter((e) => e.outcome === 'failure').length });
    expect(res.principals).toEqual(topOracle(mine, (e) => e.principal.name, 2));
    expect(res.sources).toEqual(topOracle(mine, ip, 2));
    expect(res.userAgents).toEqual(topOracle(mine, (e) => e.userAgent, 2));
    expect(res.errors).toEqual(topOracle(mine, (e) => e.errorCode, 2));
    expect(res.actions).toEqual(topOracle(mine, (e) => e.eventName, 2));
    const changes = mine.filter((e) => KEY_CHANGE_EVENTS.includes(e.eventName)).sort((a, b) => Date.parse(b.time) - Date.parse(a.time) || (a.id < b.id ? 1 : -1));
    expect(changes.length).toBeGreaterThan(5);
    expect(res.changes.total).toBe(changes.length);
    expect(res.changes.truncated).toBe(true);
    expect(res.changes.items.map((c) => c.id)).toEqual(changes.slice(0, 5).map((e) => e.id));
    expect(res.changes.items.map((c) => c.action)).not.toContain('DescribeKey');
    // Records naming key A by ARN or bare id: i % 4 !== 1.
    const recs = dekRecords().filter((d) => d.kekId !== KEYS[1]);
    expect(res.dekRecords.total).toBe(recs.length);
    for (const v of res.dekRecords.byVersion) {
      const of = recs.filter((d) => d.kekVersion === v.version);
      expect(v.total).toBe(of.length);
      expect(v.byStatus.pending_rewrap ?? 0).toBe(of.filter((d) => d.rotationStatus === 'pending_rewrap').length);
    }
  });

  it('a key outside the inventory but in the trail, and a key in neither', async () => {
    const b = await store(backend).answer(keyDetail, keyDetail.params.parse({ ...RANGE, keyArn: KEYS[1] }));
    expect(b.key).toBeNull();
    expect(b.inAuditTrail).toBe(true);
    const none = await store(backend).answer(keyDetail, keyDetail.params.parse({ ...RANGE, keyArn: 'arn:aws:kms:us-east-1:111122223333:key/00000000-0000-4000-8000-000000000000' }));
    expect(none).toMatchObject({ key: null, inAuditTrail: false, totals: { calls: 0, failures: 0 }, dekRecords: { total: 0 } });
  });

  it('keyUsage counts each bucket by action and outcome', async () => {
    const p = keyUsage.params.parse({ ...RANGE, keyArn: KEYS[0] });
    const res = keyUsage.result.parse(await store(backend).answer(keyUsage, p));
    const mine = audit.filter((e) => e.keyArn === KEYS[0] && inRange(e));
    expect(res.total).toBe(mine.length);
    const starts = res.buckets.map((t) => Date.parse(t));
    for (const s of res.series) {
      s.success.forEach((n, i) => {
        const lo = starts[i]!;
        const hi = lo + res.bucketMs;
        expect(n).toBe(mine.filter((e) => e.eventName === s.action && e.outcome === 'success' && Date.parse(e.time) >= lo && Date.parse(e.time) < hi).length);
      });
      expect(s.total).toBe(mine.filter((e) => e.eventName === s.action).length);
    }
  });
});

describe.each(BACKENDS)('%s principal page', (backend) => {
  const alice = CALLERS[2];
  it('principalDetail equals the oracle, with what is new in the last 7 days', async () => {
    const p = principalDetail.params.parse({ ...RANGE, principal: alice, now: iso(END), top: 3 });
    const res = principalDetail.result.parse(await store(backend).answer(principalDetail, p));
    const hers = audit.filter((e) => e.principal.name === alice);
    const times = hers.map((e) => Date.parse(e.time));
    expect(res.seen).toEqual({ firstSeen: iso(Math.min(...times)), lastSeen: iso(Math.max(...times)), count: hers.length });
    expect(res.identity?.type).toBe('IAMUser');
    const inR = hers.filter(inRange);
    expect(res.totals.calls).toBe(inR.length);
    expect(res.keys).toEqual(topOracle(inR, (e) => e.keyArn, 3));
    expect(res.sources).toEqual(topOracle(inR, ip, 3));
    expect(res.regions).toEqual(topOracle(inR, (e) => e.region, 3));
    expect(res.errors).toEqual(topOracle(inR, (e) => e.errorCode, 3));
    const since = END - 7 * DAY;
    const first = new Map<string, number>();
    for (const e of hers) {
      const pairs: Array<[string, string | null]> = [['kms.key.arn', e.keyArn], ['source.address', e.sourceIp], ['cloud.region', e.region], ['user_agent.original', e.userAgent],
        ...Object.entries(e.encryptionContext ?? {}).map(([k, v]) => [`kms.encryption_context.${k}`, v] as [string, string])];
      for (const [f, v] of pairs) if (v !== null) first.set(`${f}=${v}`, Math.min(first.get(`${f}=${v}`) ?? Infinity, Date.parse(e.time)));
    }
    const expected = [...first].filter(([, t]) => t >= since && t <= END).map(([k]) => k).sort();
    expect(expected).toEqual(expect.arrayContaining(['kms.key.arn=' + KEYS[1], 'source.address=203.0.113.9', 'cloud.region=ap-south-1', 'kms.encryption_context.tenant=umbrella']));
    expect(res.newItems.map((n) => `${n.field}=${n.value}`).sort()).toEqual(expected);
    expect(res.newItems.map((n) => Date.parse(n.firstSeen))).toEqual([...res.newItems.map((n) => Date.parse(n.firstSeen))].sort((a, b) => b - a));
  });

  it('an unknown principal is unseen with empty lists', async () => {
    const res = await store(backend).answer(principalDetail, principalDetail.params.parse({ ...RANGE, principal: 'arn:aws:iam::1:role/nobody', now: iso(END) }));
    expect(res).toMatchObject({ seen: null, identity: null, totals: { calls: 0, failures: 0 }, newItems: [], keys: { values: [], other: 0 } });
  });
});
