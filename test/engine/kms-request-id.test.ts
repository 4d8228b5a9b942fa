import { describe, expect, it } from 'vitest';
import type { KmsCloudTrailRecord } from '../../lib/engine/audit/cloudtrail-record';
import { SimulatedClock } from '../../lib/engine/clock';
import { LocalKms } from '../../lib/engine/kek/local-kms/local-kms';
import { SeededRandom } from '../../lib/engine/random';
import { KeyOperationSchema, type KeyOperation } from '../../lib/model/key-operation';
import { CTX, makeEngine, T0 } from '../support/engine-fixture';

/**
 * Each KeyOperation that is a key-manager call carries that call's request id, the
 * `requestID` of its CloudTrail record, so an application's call joins its audit record.
 */
async function setup(cached: boolean) {
  const clock = new SimulatedClock(T0);
  const trail: KmsCloudTrailRecord[] = [];
  const kms = new LocalKms({ accountId: '111122223333', region: 'us-east-1', clock, random: new SeededRandom(11), audit: (r) => void trail.push(r) });
  const meta = await kms.createKey({ description: 'orders KEK' });
  const f = makeEngine(
    cached ? { dekPolicy: { kind: 'cached', maxAgeMs: 60_000, maxMessages: 100, maxBytes: 1 << 20 }, decryptCache: { ttlMs: 60_000, maxEntries: 100 } } : {},
    { provider: kms, kekId: meta.Arn!, clock },
  );
  const requestIdsOf = (eventName: string) => trail.filter((r) => r.eventName === eventName).map((r) => r.requestID);
  const ops = (operation: KeyOperation['operation']) => f.sink.operations.filter((o) => o.operation === operation);
  return { ...f, kms, meta, requestIdsOf, ops };
}

describe('KeyOperation.kmsRequestId', () => {
  it('names the GenerateDataKey, Decrypt and ReEncrypt request behind each operation; local AES work carries none', async () => {
    const s = await setup(false);
    const envs = [];
    for (let i = 0; i < 3; i++) envs.push((await s.engine.encryptObject({ objectId: `o${i}`, objectPath: `p${i}`, tenant: 'acme', plaintext: Buffer.from(`m${i}`), encryptionContext: CTX })).envelope);
    for (const envelope of envs) await s.engine.decryptObject({ envelope, tenant: 'acme' });
    await s.engine.rewrapObject({ envelope: envs[0]!, tenant: 'acme', objectId: 'o0', objectPath: 'p0' });

    expect(s.ops('generate_data_key').map((o) => o.kmsRequestId)).toEqual(s.requestIdsOf('GenerateDataKey'));
    expect(s.ops('unwrap').map((o) => o.kmsRequestId)).toEqual(s.requestIdsOf('Decrypt'));
    expect(s.ops('rewrap').map((o) => o.kmsRequestId)).toEqual(s.requestIdsOf('ReEncrypt'));
    expect(new Set(s.requestIdsOf('GenerateDataKey')).size).toBe(3);
    expect([...s.ops('encrypt'), ...s.ops('decrypt')].every((o) => o.kmsRequestId === null)).toBe(true);
    for (const op of s.sink.operations) KeyOperationSchema.parse(op);
  });

  it('is null on a DEK cache hit: no request was made', async () => {
    const s = await setup(true);
    const envs = [];
    for (let i = 0; i < 3; i++) envs.push((await s.engine.encryptObject({ objectId: `o${i}`, objectPath: `p${i}`, tenant: 'acme', plaintext: Buffer.from(`m${i}`), encryptionContext: CTX })).envelope);
    for (const envelope of envs) await s.engine.decryptObject({ envelope, tenant: 'acme' });
    expect(s.requestIdsOf('GenerateDataKey')).toHaveLength(1);
    expect(s.ops('generate_data_key').map((o) => [o.cacheHit, o.kmsRequestId])).toEqual([[false, s.requestIdsOf('GenerateDataKey')[0]], [true, null], [true, null]]);
    expect(s.ops('unwrap').map((o) => [o.cacheHit, o.kmsRequestId])).toEqual([[false, s.requestIdsOf('Decrypt')[0]], [true, null], [true, null]]);
  });

  it('names the refused request on a failed call, and only on the operation that made it', async () => {
    const s = await setup(false);
    await s.kms.disableKey({ keyId: s.meta.KeyId });
    await expect(s.engine.encryptObject({ objectId: 'o', objectPath: 'p', tenant: 'acme', plaintext: Buffer.from('m'), encryptionContext: CTX })).rejects.toMatchObject({ code: 'DisabledException' });
    const [gdk] = s.ops('generate_data_key');
    expect(gdk).toMatchObject({ outcome: 'failure', errorCode: 'DisabledException', kmsRequestId: s.requestIdsOf('GenerateDataKey')[0] });
    expect(gdk!.kmsRequestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(s.ops('encrypt')).toMatchObject([{ outcome: 'failure', kmsRequestId: null }]);
  });
});
