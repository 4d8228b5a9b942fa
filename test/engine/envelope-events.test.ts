import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { SimulatedClock } from '../../lib/engine/clock';
import { decodeEnvelope } from '../../lib/engine/envelope';
import type { DataKey, KekProvider } from '../../lib/engine/kek/provider';
import { DekRecordSchema } from '../../lib/model/dek-record';
import { KeyOperationSchema } from '../../lib/model/key-operation';
import { AesGcmKekProvider } from '../support/aes-gcm-kek-provider';
import { CALLER, CTX, makeEngine, T0 } from '../support/engine-fixture';

/** A real provider whose GenerateDataKey and Decrypt take simulated time. */
function slowProvider(clock: SimulatedClock, ms: number): { provider: KekProvider; kekId: string } {
  const kms = new AesGcmKekProvider();
  const kekId = kms.createKey();
  const provider: KekProvider = {
    kind: 'local',
    generateDataKey: async (r): Promise<DataKey> => (clock.advance(ms), kms.generateDataKey(r)),
    encrypt: (r) => kms.encrypt(r),
    decrypt: async (r) => (clock.advance(ms), kms.decrypt(r)),
    reEncrypt: async (r) => (clock.advance(ms), kms.reEncrypt(r)),
  };
  return { provider, kekId };
}

describe('engine events', () => {
  it('emits generate_data_key + encrypt and unwrap + decrypt, schema-valid, with shared trace ids and clock times', async () => {
    const { engine, sink, clock, kekId } = makeEngine({ dekPolicy: { kind: 'cached', maxAgeMs: 60_000, maxMessages: 10, maxBytes: 1 << 20 }, decryptCache: { ttlMs: 1000, maxEntries: 10 } });
    const a = await engine.encryptObject({ objectId: 'o1', objectPath: 's3://b/o1', tenant: 'acme', plaintext: Buffer.alloc(300, 1), encryptionContext: CTX, traceId: 'trace-1' });
    clock.advance(10);
    await engine.encryptObject({ objectId: 'o2', objectPath: 's3://b/o2', tenant: 'acme', plaintext: Buffer.alloc(200, 2), encryptionContext: CTX });
    await engine.decryptObject({ envelope: a.envelope, tenant: 'acme', objectId: 'o1' });
    await engine.decryptObject({ envelope: a.envelope, tenant: 'acme' });
    const ops = sink.operations.map((o) => KeyOperationSchema.parse(o));
    expect(ops.map((o) => [o.operation, o.cacheHit, o.bytes])).toEqual([
      ['generate_data_key', false, 0],
      ['encrypt', null, 300],
      ['generate_data_key', true, 0],
      ['encrypt', null, 200],
      ['unwrap', false, 0],
      ['decrypt', null, 300],
      ['unwrap', true, 0],
      ['decrypt', null, 300],
    ]);
    expect(new Set(ops.map((o) => o.id)).size).toBe(ops.length);
    expect(ops[0]!.traceId).toBe('trace-1');
    expect(ops[1]!.traceId).toBe('trace-1');
    expect(ops[2]!.traceId).toBe(ops[3]!.traceId);
    expect(ops[2]!.traceId).not.toBe('trace-1');
    expect(ops[0]!.time).toBe(new Date(T0).toISOString());
    expect(ops[2]!.time).toBe(new Date(T0 + 10).toISOString());
    const dekVersion = decodeEnvelope(a.envelope).kekVersion;
    for (const o of ops) {
      expect(o).toMatchObject({ service: 'orders-api', tenant: 'acme', kekId, kekVersion: dekVersion, outcome: 'success', errorClass: null, errorCode: null });
      expect(o).toMatchObject({ principal: CALLER.arn, region: 'us-east-1', accountId: CALLER.accountId, dekId: a.dekRecord.dekId });
    }
    expect(ops.slice(4).map((o) => o.objectId)).toEqual(['o1', 'o1', null, null]);
    const records = sink.dekRecords.map((r) => DekRecordSchema.parse(r));
    expect(records.map((r) => [r.objectId, r.bytes, r.encryptedAt, r.rotationStatus])).toEqual([
      ['o1', 300, new Date(T0).toISOString(), 'current'],
      ['o2', 200, new Date(T0 + 10).toISOString(), 'current'],
    ]);
  });

  it('measures the latency of obtaining the DEK on the engine clock', async () => {
    const base = makeEngine();
    const slow = slowProvider(base.clock, 25);
    const { engine, sink } = makeEngine({ decryptCache: { ttlMs: 60_000, maxEntries: 4 } }, { ...slow, clock: base.clock });
    const { envelope } = await engine.encryptObject({ objectId: 'o', objectPath: 'p', tenant: 't', plaintext: Buffer.from('x'), encryptionContext: CTX });
    await engine.decryptObject({ envelope, tenant: 't' });
    await engine.decryptObject({ envelope, tenant: 't' });
    expect(sink.operations.map((o) => [o.operation, o.latencyMs])).toEqual([
      ['generate_data_key', 25],
      ['encrypt', 25],
      ['unwrap', 25],
      ['decrypt', 25],
      ['unwrap', 0],
      ['decrypt', 0],
    ]);
  });

  it('never puts plaintext or key material into events or error messages', async () => {
    const { engine, sink, provider } = makeEngine({ decryptCache: { ttlMs: 1000, maxEntries: 4 } });
    const secret = Buffer.from(`TOP-SECRET-${randomBytes(16).toString('hex')}`);
    const { envelope } = await engine.encryptObject({ objectId: 'o', objectPath: 'p', tenant: 't', plaintext: secret, encryptionContext: CTX });
    await engine.decryptObject({ envelope, tenant: 't' });
    const messages: string[] = [];
    const bad = Buffer.from(envelope);
    bad[bad.length - 1] = bad[bad.length - 1]! ^ 1;
    await engine.decryptObject({ envelope: bad, tenant: 't' }).catch((e: Error) => messages.push(e.message, String(e.stack)));
    await engine.decryptObject({ envelope: envelope.subarray(0, 40), tenant: 't' }).catch((e: Error) => messages.push(e.message));
    const haystack = JSON.stringify({ ops: sink.operations, records: sink.dekRecords, messages });
    const needles = [secret.toString(), secret.toString('base64'), secret.toString('hex'), ...provider.dekHex, ...provider.dekHex.map((h) => Buffer.from(h, 'hex').toString('base64'))];
    expect(provider.dekHex.length).toBeGreaterThan(0);
    for (const n of needles) expect(haystack.includes(n)).toBe(false);
    expect(haystack.includes('TOP-SECRET')).toBe(false);
  });

  it('gives the same ids for the same seed (traffic shape) but never the same IVs', async () => {
    const run = async () => {
      const { engine, sink } = makeEngine();
      const r = await engine.encryptObject({ objectId: 'o', objectPath: 'p', tenant: 't', plaintext: Buffer.from('same'), encryptionContext: CTX });
      return { ids: sink.operations.map((o) => [o.id, o.traceId, o.dekId]), iv: decodeEnvelope(r.envelope).iv };
    };
    const [x, y] = [await run(), await run()];
    expect(x.ids).toEqual(y.ids);
    expect(x.iv.equals(y.iv)).toBe(false);
  });
});
