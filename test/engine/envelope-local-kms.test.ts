import { describe, expect, it } from 'vitest';
import type { KmsCloudTrailRecord } from '../../lib/engine/audit/cloudtrail-record';
import { SimulatedClock } from '../../lib/engine/clock';
import { decodeEnvelope, encodeEnvelope, envelopeLayout } from '../../lib/engine/envelope';
import { EnvelopeError, KmsError } from '../../lib/engine/errors';
import { LocalKms } from '../../lib/engine/kek/local-kms/local-kms';
import { SeededRandom } from '../../lib/engine/random';
import { DekRecordSchema } from '../../lib/model/dek-record';
import { KeyOperationSchema } from '../../lib/model/key-operation';
import { CTX, makeEngine, T0 } from '../support/engine-fixture';
import { isZeroed } from '../support/recording-kek-provider';

/** The engine over the project's local KMS (the provider traffic scenarios use). */
async function setup(overrides: Parameters<typeof makeEngine>[0] = {}) {
  const clock = new SimulatedClock(T0);
  const trail: KmsCloudTrailRecord[] = [];
  const kms = new LocalKms({ accountId: '111122223333', region: 'us-east-1', clock, random: new SeededRandom(7), audit: (r) => void trail.push(r) });
  const meta = await kms.createKey({ description: 'orders KEK' });
  await kms.createAlias({ aliasName: 'alias/orders', targetKeyId: meta.KeyId });
  const f = makeEngine(overrides, { provider: kms, kekId: 'alias/orders', clock });
  const names = () => trail.map((r) => r.eventName);
  return { ...f, kms, meta, trail, names };
}

async function outcome(p: Promise<Buffer>): Promise<string> {
  try {
    return `plaintext:${(await p).toString()}`;
  } catch (err) {
    if (err instanceof EnvelopeError) return err.reason;
    if (err instanceof KmsError) return err.code;
    throw err;
  }
}

describe('EnvelopeEngine over LocalKms', () => {
  it.each([
    ['per-object', { kind: 'per-object' as const }],
    ['cached', { kind: 'cached' as const, maxAgeMs: 60_000, maxMessages: 100, maxBytes: 1 << 20 }],
  ])('round-trips with the %s policy, recording the KMS calls in the trail', async (name, dekPolicy) => {
    const s = await setup({ dekPolicy, decryptCache: { ttlMs: 60_000, maxEntries: 100 } });
    const envs: Buffer[] = [];
    for (let i = 0; i < 4; i++) {
      const r = await s.engine.encryptObject({ objectId: `o${i}`, objectPath: `s3://b/o${i}`, tenant: 'acme', plaintext: Buffer.from(`payload ${i}`), encryptionContext: CTX });
      expect(DekRecordSchema.parse(r.dekRecord)).toMatchObject({ kekId: s.meta.Arn, kekVersion: s.meta.CurrentKeyMaterialId });
      envs.push(r.envelope);
    }
    for (const [i, envelope] of envs.entries()) expect((await s.engine.decryptObject({ envelope, tenant: 'acme', expectedContext: { tenant: 'acme' } })).toString()).toBe(`payload ${i}`);
    const calls = name === 'cached' ? 1 : 4;
    expect(s.names().filter((n) => n === 'GenerateDataKey')).toHaveLength(calls);
    expect(s.names().filter((n) => n === 'Decrypt')).toHaveLength(calls);
    for (const op of s.sink.operations) KeyOperationSchema.parse(op);
    expect(s.provider.handedOut.filter((b) => !isZeroed(b))).toHaveLength(name === 'cached' ? 2 : 4);
    s.engine.clearCaches();
    expect(s.provider.handedOut.every(isZeroed)).toBe(true);
  });

  it('rewraps to the rotated key material with ReEncrypt, and the result decrypts', async () => {
    const s = await setup();
    const { envelope, dekRecord } = await s.engine.encryptObject({ objectId: 'o', objectPath: 'p', tenant: 'acme', plaintext: Buffer.from('rotate me'), encryptionContext: CTX });
    const newMaterial = await s.kms.rotate(s.meta.KeyId);
    expect(newMaterial).not.toBe(dekRecord.kekVersion);
    const re = await s.engine.rewrapObject({ envelope, objectId: 'o', objectPath: 'p', tenant: 'acme' });
    expect(re.dekRecord).toMatchObject({ kekId: s.meta.Arn, kekVersion: newMaterial, rotationStatus: 'rewrapped', dekId: dekRecord.dekId });
    expect(s.names()).toContain('ReEncrypt');
    expect(s.names()).not.toContain('Decrypt');
    expect(await outcome(s.engine.decryptObject({ envelope: re.envelope, tenant: 'acme' }))).toBe('plaintext:rotate me');
    // The old envelope still opens: the old material is kept after rotation, as in KMS.
    expect(await outcome(s.engine.decryptObject({ envelope, tenant: 'acme' }))).toBe('plaintext:rotate me');
  });

  it('refuses tampered key-block fields and context through the KMS or the KEK check', async () => {
    const s = await setup({ decryptCache: { ttlMs: 60_000, maxEntries: 10 } });
    const { envelope } = await s.engine.encryptObject({ objectId: 'o', objectPath: 'p', tenant: 'acme', plaintext: Buffer.from('x'), encryptionContext: CTX });
    const env = decodeEnvelope(envelope);
    const flipLast = (field: 'wrappedDek' | 'encryptionContext' | 'kekId') => {
      const b = Buffer.from(envelope);
      const at = envelopeLayout(b)[field].end - 1;
      b[at] = b[at]! ^ 1;
      return b;
    };
    const dec = (e: Buffer) => outcome(s.engine.decryptObject({ envelope: e, tenant: 'acme' }));
    expect(await dec(envelope)).toBe('plaintext:x');
    expect(await dec(flipLast('wrappedDek'))).toBe('InvalidCiphertextException');
    expect(await dec(flipLast('encryptionContext'))).toBe('InvalidCiphertextException');
    expect(['NotFoundException', 'IncorrectKeyException']).toContain(await dec(flipLast('kekId')));
    expect(await dec(encodeEnvelope({ ...env, kekVersion: '0'.repeat(64) }))).toBe('kek_mismatch');
    const other = await s.kms.createKey();
    expect(await dec(encodeEnvelope({ ...env, kekId: other.Arn }))).toBe('IncorrectKeyException');
  });

  it('reports a disabled KEK as key_disabled on unwrap', async () => {
    const s = await setup();
    const { envelope } = await s.engine.encryptObject({ objectId: 'o', objectPath: 'p', tenant: 'acme', plaintext: Buffer.from('x'), encryptionContext: CTX });
    await s.kms.disableKey({ keyId: s.meta.KeyId });
    expect(await outcome(s.engine.decryptObject({ envelope, tenant: 'acme', objectId: 'o' }))).toBe('DisabledException');
    expect(s.sink.operations.slice(-2).map((o) => [o.operation, o.outcome, o.errorClass, o.errorCode])).toEqual([
      ['unwrap', 'failure', 'key_disabled', 'DisabledException'],
      ['decrypt', 'failure', 'key_disabled', 'DisabledException'],
    ]);
  });
});
