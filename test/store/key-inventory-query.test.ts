import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { Pipeline } from '../../ingest/pipeline/pipeline';
import { KeyInventory } from '../../lib/inventory/key-inventory';
import { keyInventoryQuestion } from '../../lib/questions/key-inventory/definition';
import { openStore } from '../../lib/store';
import { migrate } from '../../lib/store/sqlite/migrations';
import { topPrincipalsSql } from '../../lib/questions/key-inventory/sqlite-sql';
import { ACCOUNT, KEY2_ARN, KEY2_ID, KEY_ARN, KEY_ID, MATERIAL_A, failed, identities, keyResource, kmsApiCall } from '../support/cloudtrail-fixtures';
import { accept } from '../support/normalize-helpers';
import { openTempStore, tempDbPath } from '../support/temp-store';
import { keyInventory, kmsThrottling } from '../../lib/questions/registry';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

const at = (s: number) => new Date(Date.UTC(2026, 2, 1, 10, 0, s)).toISOString().replace('.000Z', 'Z');
const RANGE = { from: '2026-03-01T00:00:00Z', to: '2026-03-02T00:00:00Z' };

const decrypt = (label: string, s: number, who: Record<string, unknown>, resources = [keyResource(KEY_ARN)]) =>
  kmsApiCall({ eventName: 'Decrypt', label, eventTime: at(s), userIdentity: who, requestParameters: { encryptionContext: { tenant: 'acme' } }, additionalEventData: { keyMaterialId: MATERIAL_A }, readOnly: true, resources });

/** Two sessions of one role, S3 on a role's behalf, a user; one denied call in the other's form of AccessDenied. */
const EVENTS = [
  kmsApiCall({ eventName: 'CreateKey', label: 'c1', eventTime: at(0), responseElements: { keyMetadata: { keyId: KEY_ID, arn: KEY_ARN, keyState: 'Enabled' } } }),
  kmsApiCall({ eventName: 'CreateKey', label: 'c2', eventTime: at(1), requestParameters: { keyId: KEY2_ID }, resources: [keyResource(KEY2_ARN)] }),
  kmsApiCall({ eventName: 'EnableKeyRotation', label: 'rot', eventTime: at(2), requestParameters: { keyId: KEY_ID, rotationPeriodInDays: 365 } }),
  decrypt('d1', 10, identities.assumedRole(ACCOUNT, 'OrdersService', 'orders-1')),
  decrypt('d2', 11, identities.assumedRole(ACCOUNT, 'OrdersService', 'orders-2')),
  decrypt('d3', 12, identities.assumedRole(ACCOUNT, 'OrdersService', 'orders-3')),
  decrypt('d4', 13, { ...identities.assumedRole(ACCOUNT, 'ReportsService', 'r-1'), invokedBy: 's3.amazonaws.com' }),
  decrypt('d5', 14, identities.alice),
  failed(decrypt('d6', 15, identities.alice), 'AccessDenied', 'User: arn:aws:iam::111122223333:user/Alice is not authorized to perform: kms:Decrypt'),
  failed(decrypt('d7', 16, identities.alice), 'AccessDeniedException', 'User: arn:aws:iam::111122223333:user/Alice is not authorized to perform: kms:Decrypt'),
  failed(decrypt('d8', 17, identities.alice), 'Throttling', 'Rate exceeded'),
  decrypt('d9', 18, identities.alice, [keyResource(KEY2_ARN)]),
  // Management calls are not "use": not among the top principals.
  kmsApiCall({ eventName: 'DescribeKey', label: 'desc', eventTime: at(19), userIdentity: identities.root, readOnly: true }),
].map(accept);

describe('key inventory through the ingest pipeline and the keyInventory question', () => {
  it('writes key states in the same write as the events, and answers with state, use and top principals', async () => {
    const t = await openTempStore();
    cleanups.push(t.cleanup);
    const pipeline = new Pipeline({ source: 'cloudtrail-files', store: t.store, batchRecords: 1000, batchMaxAgeMs: 10, keyInventory: new KeyInventory() });
    const receipt = await pipeline.submit({ auditEvents: EVENTS, checkpoints: [{ source: 'cloudtrail-files', key: '/trail/f.json.gz', value: 1 }] });
    await receipt.committed;
    await pipeline.close();
    expect(pipeline.stats().totals).toMatchObject({ batches: 1, keyStatesWritten: 2 });

    const params = keyInventoryQuestion.params.parse({ ...RANGE, topPrincipals: 3 });
    const answer = keyInventoryQuestion.result.parse(await t.store.answer(keyInventory, params));
    expect(answer).toMatchObject({ total: 2, truncated: false });
    const key = answer.keys.find((k) => k.keyArn === KEY_ARN)!;
    expect(key).toMatchObject({
      state: 'Enabled', rotationEnabled: true, rotationPeriodDays: 365, versions: [MATERIAL_A],
      // Last use at minute resolution.
      firstUsedAt: '2026-03-01T10:00:10.000Z', lastUsedAt: '2026-03-01T10:00:00.000Z', policyUpdatedAt: null, primaryKeyArn: null,
    });
    expect(key).not.toHaveProperty('asOf');
    // Sessions of one role count as the role; S3 calling for a role counts as that role; failures are counted apart.
    expect(key.topPrincipals).toEqual([
      { principal: identities.alice.arn, calls: 4, failures: 3 },
      { principal: `arn:aws:iam::${ACCOUNT}:role/OrdersService`, calls: 3, failures: 0 },
      { principal: `arn:aws:iam::${ACCOUNT}:role/ReportsService`, calls: 1, failures: 0 },
    ]);
    expect(answer.keys.find((k) => k.keyArn === KEY2_ARN)!.topPrincipals).toEqual([{ principal: identities.alice.arn, calls: 1, failures: 0 }]);

    // Filters and the limit.
    const limited = await t.store.answer(keyInventory, keyInventoryQuestion.params.parse({ ...RANGE, limit: 1 }));
    expect(limited).toMatchObject({ total: 2, truncated: true });
    expect(limited.keys).toHaveLength(1);
    expect((await t.store.answer(keyInventory, keyInventoryQuestion.params.parse({ ...RANGE, filters: { keyId: KEY2_ARN } }))).keys.map((k) => k.keyArn)).toEqual([KEY2_ARN]);
    expect((await t.store.answer(keyInventory, keyInventoryQuestion.params.parse({ ...RANGE, filters: { accountId: '444455556666' } }))).total).toBe(0);
    // Outside the range: no principals, the state is still there.
    const later = await t.store.answer(keyInventory, keyInventoryQuestion.params.parse({ from: '2026-03-05T00:00:00Z', to: '2026-03-06T00:00:00Z' }));
    expect(later.keys.every((k) => k.topPrincipals.length === 0)).toBe(true);
  });

  it('groups both spellings of an error code: AccessDenied with AccessDeniedException, Throttling with ThrottlingException', async () => {
    const t = await openTempStore();
    cleanups.push(t.cleanup);
    await t.store.writeBatch({ auditEvents: EVENTS });
    const db = new Database(t.path, { readonly: true });
    const codes = db.prepare(`SELECT error_code AS code, COUNT(*) AS n, json_group_array(json_extract(doc, '$.errorCode')) AS written FROM audit_events WHERE error_code IS NOT NULL GROUP BY 1 ORDER BY 1`).all();
    db.close();
    expect(codes).toEqual([
      { code: 'AccessDeniedException', n: 2, written: expect.stringMatching(/"AccessDenied".*"AccessDeniedException"|"AccessDeniedException".*"AccessDenied"/) },
      { code: 'ThrottlingException', n: 1, written: '["Throttling"]' },
    ]);
    const throttling = await t.store.answer(kmsThrottling, { ...RANGE, filters: {} });
    expect(throttling.totals.auditEvents).toBe(1);
  });

  it('migration 4 fills the principal and canonical error code of events stored before it', async () => {
    const db = tempDbPath();
    cleanups.push(db.cleanup);
    const old = new Database(db.path);
    migrate(old, Date.UTC(2026, 2, 1), 3);
    const insert = old.prepare('INSERT INTO audit_events (id, time_ms, event_name, key_arn, key_id, principal_arn, source_ip, error_code, success, doc) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');
    for (const e of EVENTS) insert.run(e.id, Date.parse(e.time), e.eventName, e.keyArn, e.keyId, e.principal.arn, e.sourceIp, e.errorCode, e.outcome === 'success' ? 1 : 0, JSON.stringify(e));
    old.close();
    const store = await openStore({ backend: 'sqlite', sqlitePath: db.path });
    cleanups.push(() => store.close());
    const inv = new KeyInventory();
    inv.applyEvents(EVENTS);
    await store.writeBatch({ keyStates: inv.keyStates() });
    const answer = await store.answer(keyInventory, keyInventoryQuestion.params.parse({ ...RANGE, filters: { keyId: KEY_ID } }));
    expect(answer.keys[0]!.topPrincipals.map((p) => p.principal)).toEqual([identities.alice.arn, `arn:aws:iam::${ACCOUNT}:role/OrdersService`, `arn:aws:iam::${ACCOUNT}:role/ReportsService`]);
    expect((await store.answer(kmsThrottling, { ...RANGE, filters: {} })).totals.auditEvents).toBe(1);
  });

  it('the top-principals statement is built from the question alone (values bound, names of data-plane calls only)', () => {
    const q = topPrincipalsSql('["k"]', 1, 2, 5);
    expect(q.params).toEqual({ keys: '["k"]', from: 1, to: 2 });
    expect(q.sql).toContain(`'Decrypt'`);
    expect(q.sql).not.toContain(`'DescribeKey'`);
    expect(q.sql).toContain('rank <= 5');
  });
});
