import { KMSClient } from '@aws-sdk/client-kms';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KeyInventory } from '../../lib/inventory/key-inventory';
import { readKmsSnapshot, refreshKeyInventory } from '../../lib/inventory/kms-refresh';
import { normalizeCloudTrailRecord } from '../../lib/model/normalize-cloudtrail';
import type { AuditEvent } from '../../lib/model/audit-event';
import type { Store } from '../../lib/store/types';
import { ACCT, REGION, iamUser, makeKms } from '../engine/local-kms/helpers';
import { KmsWireServer } from '../support/kms-wire-server';
import { openTempStore } from '../support/temp-store';
import { keyInventory } from '../../lib/questions/registry';

const DAY_MS = 86_400_000;
const CREDS = { accessKeyId: 'AKIAINVENTORY0000001', secretAccessKey: 'inventory-secret-for-tests-only' };

let local: ReturnType<typeof makeKms>;
let server: KmsWireServer;
let client: KMSClient;
let keys: Array<{ KeyId: string; Arn: string; CurrentKeyMaterialId: string }>;

beforeAll(async () => {
  local = makeKms({ defaultCaller: iamUser('admin') });
  const { kms } = local;
  keys = [];
  for (const d of ['orders', 'archive', 'billing', 'search', 'spare']) keys.push(await kms.createKey({ description: d }));
  await kms.createAlias({ aliasName: 'alias/orders', targetKeyId: keys[0]!.KeyId });
  await kms.createAlias({ aliasName: 'alias/archive', targetKeyId: keys[1]!.KeyId });
  await kms.createAlias({ aliasName: 'alias/archive-old', targetKeyId: keys[1]!.KeyId });
  await kms.createAlias({ aliasName: 'alias/billing', targetKeyId: keys[2]!.KeyId });
  await kms.enableKeyRotation({ keyId: keys[0]!.KeyId, rotationPeriodInDays: 90 });
  await kms.disableKey({ keyId: keys[2]!.KeyId });
  await kms.scheduleKeyDeletion({ keyId: keys[3]!.KeyId, pendingWindowInDays: 7 });
  server = await KmsWireServer.start({
    provider: kms,
    principals: { [CREDS.accessKeyId]: { secretAccessKey: CREDS.secretAccessKey, identity: iamUser('inventory') } },
    maxPageSize: 2,
  });
  client = new KMSClient({ region: REGION, endpoint: server.url, credentials: CREDS, maxAttempts: 3 });
});

afterAll(async () => {
  client.destroy();
  await server.close();
});

const now = () => new Date(local.clock.now());

describe('key inventory refresh from KMS (the real SDK client against the KMS wire protocol)', () => {
  it('pages through ListKeys and ListAliases and reads each key', async () => {
    server.requests.length = 0;
    const snap = await readKmsSnapshot({ client, region: REGION, now });
    const listKeys = server.requests.filter((r) => r.target === 'TrentService.ListKeys');
    // 5 keys, 2 a page: three pages, the later ones asked for with the marker of the one before.
    expect(listKeys).toHaveLength(3);
    expect(listKeys.map((r) => typeof r.body.Marker)).toEqual(['undefined', 'string', 'string']);
    expect(server.requests.filter((r) => r.target === 'TrentService.ListAliases')).toHaveLength(2);
    expect(server.requests.filter((r) => r.target === 'TrentService.DescribeKey')).toHaveLength(5);
    expect(snap.accountId).toBe(ACCT);
    expect(snap.keys.map((k) => [k.keyArn, k.state])).toEqual([
      [keys[0]!.Arn, 'Enabled'], [keys[1]!.Arn, 'Enabled'], [keys[2]!.Arn, 'Disabled'], [keys[3]!.Arn, 'PendingDeletion'], [keys[4]!.Arn, 'Enabled'],
    ]);
    expect(snap.keys[0]).toMatchObject({ rotationEnabled: true, rotationPeriodDays: 90, currentVersion: keys[0]!.CurrentKeyMaterialId });
    expect(snap.keys[3]!.deletionDate).toBe(new Date(local.clock.now() + 7 * DAY_MS).toISOString());
    expect(snap.aliases).toHaveLength(4);
  });

  it('writes the key states, and rides out a throttled ListKeys (the SDK retries)', async () => {
    const t = await openTempStore(() => local.clock.now());
    try {
      server.throttle(1);
      const r = await refreshKeyInventory({ client, region: REGION, now, store: t.store });
      expect(server.requests.some((q) => q.errorCode === 'ThrottlingException')).toBe(true);
      expect(r).toMatchObject({ keys: 5, aliases: 4, keyStatesWritten: 5 });
      const inv = await t.store.answer(keyInventory, { from: new Date(0).toISOString(), to: now().toISOString(), filters: {}, topPrincipals: 3, limit: 100 });
      expect(inv.total).toBe(5);
      const byArn = new Map(inv.keys.map((k) => [k.keyArn, k]));
      expect(byArn.get(keys[0]!.Arn)).toMatchObject({ aliases: ['alias/orders'], state: 'Enabled', rotationEnabled: true, rotationPeriodDays: 90, accountId: ACCT, region: REGION });
      expect(byArn.get(keys[1]!.Arn)!.aliases).toEqual(['alias/archive', 'alias/archive-old']);
      expect(byArn.get(keys[2]!.Arn)).toMatchObject({ state: 'Disabled', rotationEnabled: false, rotationPeriodDays: null });
      expect(byArn.get(keys[3]!.Arn)!.state).toBe('PendingDeletion');
      expect((await t.store.answer(keyInventory, { from: new Date(0).toISOString(), to: now().toISOString(), filters: { state: 'Disabled' }, topPrincipals: 0, limit: 100 })).keys.map((k) => k.keyArn)).toEqual([keys[2]!.Arn]);

      // A second refresh after changes: a finished deletion, a moved and a deleted alias.
      await local.kms.updateAlias({ aliasName: 'alias/orders', targetKeyId: keys[4]!.KeyId });
      await local.kms.deleteAlias({ aliasName: 'alias/archive-old' });
      local.clock.advance(8 * DAY_MS);
      await local.kms.enableKey({ keyId: keys[2]!.KeyId });
      const r2 = await refreshKeyInventory({ client, region: REGION, now, store: t.store });
      expect(r2.keys).toBe(4);
      const after = new Map((await t.store.keyStates()).map((k) => [k.keyArn, k]));
      expect(after.get(keys[3]!.Arn)!.state).toBe('Deleted');
      expect(after.get(keys[0]!.Arn)!.aliases).toEqual([]);
      expect(after.get(keys[4]!.Arn)!.aliases).toEqual(['alias/orders']);
      expect(after.get(keys[1]!.Arn)!.aliases).toEqual(['alias/archive']);
      expect(after.get(keys[2]!.Arn)!.state).toBe('Enabled');
    } finally {
      await t.cleanup();
    }
  });

  it('refresh facts and trail events merge by time: a later event wins over the refresh, an earlier one does not', async () => {
    const t = await openTempStore(() => local.clock.now());
    try {
      const inventory = KeyInventory.fromKeyStates([]);
      const refreshAt = local.clock.now();
      await refreshKeyInventory({ client, region: REGION, now, store: t.store, inventory });
      // The trail of everything the local KMS did so far is older than the refresh: it changes no state.
      const events = local.records.map((r) => normalizeCloudTrailRecord(r)).flatMap((r) => (r.ok ? [r.event] : []));
      expect(events.length).toBeGreaterThan(10);
      const listed = inventory.keyStates().map((k) => k.keyArn);
      const olderStates = inventory.keyStates().map((k) => [k.keyArn, k.state, k.aliases, k.rotationEnabled]);
      inventory.applyEvents(events.filter((e) => Date.parse(e.time) < refreshAt));
      // (The key deleted before the refresh comes back from the trail, as deleted: KMS no longer lists it.)
      expect(inventory.keyState(keys[3]!.Arn)!.state).toBe('Deleted');
      expect(inventory.keyStates(listed).map((k) => [k.keyArn, k.state, k.aliases, k.rotationEnabled])).toEqual(olderStates);
      // A DisableKey after the refresh wins.
      local.clock.advance(60_000);
      const mark = local.records.length;
      await local.kms.disableKey({ keyId: keys[0]!.KeyId });
      const late = local.records.slice(mark).map((r) => normalizeCloudTrailRecord(r)).flatMap((r) => (r.ok ? [r.event] : [])) as AuditEvent[];
      const changed = inventory.applyEvents(late);
      expect(changed.has(keys[0]!.Arn)).toBe(true);
      await (t.store as Store).writeBatch({ keyStates: inventory.keyStates(changed) });
      expect((await t.store.keyStates()).find((k) => k.keyArn === keys[0]!.Arn)!.state).toBe('Disabled');
    } finally {
      await t.cleanup();
    }
  });

  it('expired or unknown credentials fail the refresh (a partial listing would mark keys deleted)', async () => {
    const bad = new KMSClient({ region: REGION, endpoint: server.url, credentials: { accessKeyId: 'AKIAUNKNOWN000000001', secretAccessKey: 'x' }, maxAttempts: 1 });
    try {
      await expect(readKmsSnapshot({ client: bad, region: REGION, now })).rejects.toMatchObject({ name: 'UnrecognizedClientException' });
    } finally {
      bad.destroy();
    }
  });
});
