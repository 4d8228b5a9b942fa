import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEvent } from '../../lib/model/audit-event';
import type { KeyState } from '../../lib/model/key-state';
import type { Store } from '../../lib/store/types';
import { KEKS } from '../support/key-operation-generator';
import { HOUR, RANGE, T0, iso, onCallFixture } from '../support/on-call-fixture';
import { BACKENDS, openEmptyStore, type BackendName, type OpenedStore } from './support/backends';
import { keyInventory } from '../../lib/questions/registry';

/*
 * The key inventory and the stored key states, alike on every backend: keys in page order
 * with filters and a limit, and the top callers of each key from the audit trail.
 */
const state = (keyArn: string, patch: Partial<KeyState>): KeyState => ({
  keyArn, keyId: keyArn.split('/')[1]!, accountId: keyArn.split(':')[4]!, region: keyArn.split(':')[3]!, aliases: [], state: 'Enabled',
  rotationEnabled: true, rotationPeriodDays: 365, lastRotatedAt: null, currentVersion: 'v2', versions: ['v1', 'v2'],
  createdAt: iso(T0 - 400 * 24 * HOUR), deletionDate: null, firstUsedAt: iso(T0), lastUsedAt: iso(T0 + 5 * HOUR), updatedAt: iso(T0 + 5 * HOUR), ...patch,
});
const OTHER_ACCOUNT_KEY = 'arn:aws:kms:eu-west-1:444455556666:key/9d0c0a7e-4444-4a4a-8b8b-000000000004';
const states: KeyState[] = [
  state(KEKS[0], { aliases: ['alias/messaging'] }),
  state(KEKS[1], { state: 'Disabled', rotationEnabled: false }),
  state(KEKS[2], { aliases: ['alias/billing', 'alias/ünïcode'], lastRotatedAt: iso(T0 + HOUR) }),
  state(OTHER_ACCOUNT_KEY, { state: 'PendingDeletion', deletionDate: iso(T0 + 7 * 24 * HOUR), rotationEnabled: null, currentVersion: null, versions: [] }),
];
/** Three callers with different volumes on each key, and a service call (invokedBy) too. */
function callers(audit: AuditEvent[]): AuditEvent[] {
  return audit.map((e, i) => {
    const who = i % 7 === 0 ? 'arn:aws:iam::111122223333:role/batch' : i % 3 === 0 ? 'arn:aws:iam::111122223333:role/reader' : e.principal.roleArn;
    if (i % 11 === 0) return { ...e, principal: { ...e.principal, type: 'AWSService', name: 's3.amazonaws.com', arn: null, roleArn: null, invokedBy: 's3.amazonaws.com' } };
    return { ...e, principal: { ...e.principal, name: who, roleArn: who } };
  });
}

const stores = new Map<BackendName, OpenedStore>();
beforeAll(async () => {
  const audit = callers(onCallFixture().audit);
  for (const b of BACKENDS) {
    const o = await openEmptyStore(b, () => T0 + 7 * HOUR);
    await o.store.writeBatch({ source: 'cloudtrail-files', auditEvents: audit, keyStates: states });
    stores.set(b, o);
  }
});
afterAll(async () => {
  for (const o of stores.values()) await o.cleanup();
});
const store = (b: BackendName): Store => stores.get(b)!.store;

describe.each(BACKENDS.filter((b) => b !== 'sqlite'))('%s key inventory as sqlite answers it', (backend) => {
  const range = { from: iso(RANGE.fromMs), to: iso(RANGE.toMs) };
  const cases = [
    { ...range },
    { ...range, filters: { accountId: '111122223333' } },
    { ...range, filters: { region: 'eu-west-1' } },
    { ...range, filters: { state: 'Disabled' as const } },
    { ...range, filters: { keyId: KEKS[2] } },
    { ...range, filters: { keyId: KEKS[2].split('/')[1]! } },
    { ...range, limit: 2 },
    { ...range, topPrincipals: 1 },
    { ...range, topPrincipals: 0 },
    { from: iso(T0 + HOUR), to: iso(T0 + HOUR + 60_000) },
  ];
  it.each(cases.map((c) => [JSON.stringify(c), c] as const))('keyInventory %s', async (_name, c) => {
    const p = { filters: {}, topPrincipals: 5, limit: 1000, ...c };
    expect(await store(backend).answer(keyInventory, p)).toEqual(await store('sqlite').answer(keyInventory, p));
  });

  it('keyStates returns every state as written', async () => {
    const mine = await store(backend).keyStates();
    expect(mine).toEqual(await store('sqlite').keyStates());
    expect(mine).toHaveLength(states.length);
  });
});

describe.each(BACKENDS)('%s key inventory', (backend) => {
  it('ranks the callers of each key by calls, with their failures', async () => {
    const res = await store(backend).answer(keyInventory, { from: iso(RANGE.fromMs), to: iso(RANGE.toMs), filters: { keyId: KEKS[0] }, topPrincipals: 5, limit: 10 });
    expect(res.total).toBe(1);
    const top = res.keys[0]!.topPrincipals;
    expect(top.map((t) => t.principal)).toContain('s3.amazonaws.com');
    expect([...top].sort((a, b) => b.calls - a.calls)).toEqual(top);
    expect(top.reduce((s, t) => s + t.calls, 0)).toBeGreaterThan(0);
  });
});
