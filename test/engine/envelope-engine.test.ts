import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { decodeEnvelope, encodeEnvelope, envelopeFromJson, envelopeLayout, envelopeToJson } from '../../lib/engine/envelope';
import { EnvelopeError, KmsError } from '../../lib/engine/errors';
import { DekRecordSchema } from '../../lib/model/dek-record';
import type { AesGcmKekProvider } from '../support/aes-gcm-kek-provider';
import { CTX, makeEngine } from '../support/engine-fixture';
import { isZeroed } from '../support/recording-kek-provider';

async function rejection(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (err) {
    return err;
  }
  throw new Error('expected a rejection');
}

const cached = { kind: 'cached' as const, maxAgeMs: 60_000, maxMessages: 1000, maxBytes: 1 << 30 };

describe('EnvelopeEngine round trips', () => {
  it.each([
    ['per-object', { kind: 'per-object' as const }],
    ['cached', cached],
  ])('encrypts and decrypts with the %s policy, binary and JSON forms', async (_n, dekPolicy) => {
    const { engine, provider } = makeEngine({ dekPolicy, decryptCache: { ttlMs: 60_000, maxEntries: 100 } });
    for (const size of [0, 1, 1000, 65536]) {
      const pt = randomBytes(size);
      const { envelope, dekRecord } = await engine.encryptObject({ objectId: `o-${size}`, objectPath: `s3://b/o-${size}`, tenant: 'acme', plaintext: pt, encryptionContext: CTX });
      expect(envelope.includes(pt) && size > 16).toBe(false);
      expect((await engine.decryptObject({ envelope, tenant: 'acme' })).equals(pt)).toBe(true);
      const viaJson = encodeEnvelope(envelopeFromJson(JSON.stringify(envelopeToJson(decodeEnvelope(envelope)))));
      expect(viaJson.equals(envelope)).toBe(true);
      expect(DekRecordSchema.parse(dekRecord)).toMatchObject({ objectId: `o-${size}`, bytes: size, rotationStatus: 'current', encryptionContext: CTX });
    }
    expect(provider.calls.generateDataKey).toBe(dekPolicy.kind === 'cached' ? 1 : 4);
  });

  it('gives every object its own DEK under the per-object policy', async () => {
    const { engine, provider } = makeEngine();
    const ids = new Set<string>();
    for (let i = 0; i < 20; i++) {
      const { dekRecord } = await engine.encryptObject({ objectId: `o${i}`, objectPath: `p/${i}`, tenant: 't', plaintext: Buffer.from('x'), encryptionContext: CTX });
      ids.add(dekRecord.dekId);
    }
    expect(ids.size).toBe(20);
    expect(provider.calls.generateDataKey).toBe(20);
  });

  it('checks an expected context as a subset, before asking the key manager', async () => {
    const { engine, provider } = makeEngine();
    const { envelope } = await engine.encryptObject({ objectId: 'o', objectPath: 'p', tenant: 'acme', plaintext: Buffer.from('data'), encryptionContext: CTX });
    expect((await engine.decryptObject({ envelope, tenant: 'acme', expectedContext: { tenant: 'acme' } })).toString()).toBe('data');
    expect((await engine.decryptObject({ envelope, tenant: 'acme', expectedContext: {} })).toString()).toBe('data');
    const before = provider.calls.decrypt;
    for (const expectedContext of [{ tenant: 'other' }, { ...CTX, extra: 'x' }]) {
      const err = await rejection(engine.decryptObject({ envelope, tenant: 'acme', expectedContext }));
      expect(err).toBeInstanceOf(EnvelopeError);
      expect((err as EnvelopeError).reason).toBe('context_mismatch');
    }
    expect(provider.calls.decrypt).toBe(before);
  });

  it('refuses a swapped-in wrapped DEK from another message (same context)', async () => {
    const { engine } = makeEngine();
    const a = await engine.encryptObject({ objectId: 'a', objectPath: 'a', tenant: 't', plaintext: Buffer.from('AAAA'), encryptionContext: CTX });
    const b = await engine.encryptObject({ objectId: 'b', objectPath: 'b', tenant: 't', plaintext: Buffer.from('BBBB'), encryptionContext: CTX });
    const mixed = encodeEnvelope({ ...decodeEnvelope(a.envelope), wrappedDek: decodeEnvelope(b.envelope).wrappedDek });
    const err = await rejection(engine.decryptObject({ envelope: mixed, tenant: 't' }));
    expect((err as EnvelopeError).reason).toBe('authentication_failed');
  });
});

describe('EnvelopeEngine rewrap', () => {
  it('moves the DEK to the rotated KEK version without unwrapping it locally; payload bytes unchanged', async () => {
    const { engine, provider, sink, inner, kekId } = makeEngine({ decryptCache: { ttlMs: 60_000, maxEntries: 10 } });
    const pt = randomBytes(5000);
    const { envelope, dekRecord } = await engine.encryptObject({ objectId: 'o1', objectPath: 's3://b/o1', tenant: 'acme', plaintext: pt, encryptionContext: CTX });
    const newVersion = (inner as AesGcmKekProvider).rotate(kekId);
    expect(newVersion).not.toBe(dekRecord.kekVersion);
    const handed = provider.handedOut.length;
    const re = await engine.rewrapObject({ envelope, objectId: 'o1', objectPath: 's3://b/o1', tenant: 'acme', encryptedAt: dekRecord.encryptedAt });
    expect(provider.calls.decrypt).toBe(0);
    expect(provider.calls.reEncrypt).toBe(1);
    expect(provider.handedOut.length).toBe(handed);
    const [before, after] = [decodeEnvelope(envelope), decodeEnvelope(re.envelope)];
    expect(after.kekVersion).toBe(newVersion);
    expect(after.dekId).toBe(before.dekId);
    expect(after.wrappedDek.equals(before.wrappedDek)).toBe(false);
    const payload = (buf: Buffer) => buf.subarray(envelopeLayout(buf).iv.start);
    expect(payload(re.envelope).equals(payload(envelope))).toBe(true);
    expect(DekRecordSchema.parse(re.dekRecord)).toMatchObject({ rotationStatus: 'rewrapped', kekVersion: newVersion, dekId: dekRecord.dekId, encryptedAt: dekRecord.encryptedAt, bytes: 5000 });
    expect(sink.operations.at(-1)).toMatchObject({ operation: 'rewrap', outcome: 'success', kekVersion: newVersion, dekId: dekRecord.dekId, cacheHit: null });
    expect((await engine.decryptObject({ envelope: re.envelope, tenant: 'acme' })).equals(pt)).toBe(true);
  });

  it('rewraps to another destination key', async () => {
    const { engine, inner } = makeEngine();
    const other = (inner as AesGcmKekProvider).createKey();
    const { envelope } = await engine.encryptObject({ objectId: 'o', objectPath: 'p', tenant: 't', plaintext: Buffer.from('move me'), encryptionContext: CTX });
    const re = await engine.rewrapObject({ envelope, objectId: 'o', objectPath: 'p', tenant: 't', destinationKeyId: other });
    expect(re.dekRecord.kekId).toBe(other);
    expect((await engine.decryptObject({ envelope: re.envelope, tenant: 't' })).toString()).toBe('move me');
  });

  it('refuses to rewrap an envelope whose KEK version or wrapped DEK was altered', async () => {
    const { engine, sink } = makeEngine();
    const { envelope } = await engine.encryptObject({ objectId: 'o', objectPath: 'p', tenant: 't', plaintext: Buffer.from('x'), encryptionContext: CTX });
    const env = decodeEnvelope(envelope);
    const wrongVersion = encodeEnvelope({ ...env, kekVersion: 'f'.repeat(64) });
    expect(((await rejection(engine.rewrapObject({ envelope: wrongVersion, objectId: 'o', objectPath: 'p', tenant: 't' }))) as EnvelopeError).reason).toBe('kek_mismatch');
    const wd = Buffer.from(env.wrappedDek);
    wd[wd.length - 1] = wd[wd.length - 1]! ^ 1;
    const err = await rejection(engine.rewrapObject({ envelope: encodeEnvelope({ ...env, wrappedDek: wd }), objectId: 'o', objectPath: 'p', tenant: 't' }));
    expect((err as KmsError).code).toBe('InvalidCiphertextException');
    expect(sink.operations.slice(-2).map((o) => [o.operation, o.outcome, o.errorClass])).toEqual([
      ['rewrap', 'failure', 'integrity'],
      ['rewrap', 'failure', 'integrity'],
    ]);
    expect(sink.dekRecords).toHaveLength(1);
  });
});

describe('EnvelopeEngine failures and DEK hygiene', () => {
  it('zeroes every plaintext DEK after encrypt and decrypt (per-object, no decrypt cache)', async () => {
    const { engine, provider } = makeEngine();
    for (let i = 0; i < 5; i++) {
      const { envelope } = await engine.encryptObject({ objectId: `o${i}`, objectPath: 'p', tenant: 't', plaintext: randomBytes(100), encryptionContext: CTX });
      await engine.decryptObject({ envelope, tenant: 't' });
    }
    expect(provider.handedOut).toHaveLength(10);
    expect(provider.dekHex.every((h) => h !== '0'.repeat(64))).toBe(true);
    expect(provider.handedOut.every(isZeroed)).toBe(true);
  });

  it('zeroes the DEK when decryption fails authentication, and returns nothing', async () => {
    const { engine, provider } = makeEngine();
    const { envelope } = await engine.encryptObject({ objectId: 'o', objectPath: 'p', tenant: 't', plaintext: randomBytes(64), encryptionContext: CTX });
    const bad = Buffer.from(envelope);
    const at = envelopeLayout(bad).ciphertext.start;
    bad[at] = bad[at]! ^ 1;
    const err = await rejection(engine.decryptObject({ envelope: bad, tenant: 't' }));
    expect((err as EnvelopeError).reason).toBe('authentication_failed');
    expect(provider.handedOut).toHaveLength(2);
    expect(provider.handedOut.every(isZeroed)).toBe(true);
  });

  it('zeroes a wrong-length DEK from a misbehaving key manager and fails the encrypt', async () => {
    const { engine, provider, sink } = makeEngine();
    provider.truncateDekTo = 16;
    await expect(engine.encryptObject({ objectId: 'o', objectPath: 'p', tenant: 't', plaintext: Buffer.from('x'), encryptionContext: CTX })).rejects.toThrow(RangeError);
    expect(provider.dekHex[0]).not.toBe('0'.repeat(32));
    expect(isZeroed(provider.handedOut[0]!)).toBe(true);
    expect(sink.operations.map((o) => [o.operation, o.outcome, o.errorClass])).toEqual([
      ['generate_data_key', 'failure', 'internal'],
      ['encrypt', 'failure', 'internal'],
    ]);
    expect(sink.dekRecords).toHaveLength(0);
  });

  it('emits the failed operations with class and code, then rethrows the KMS error', async () => {
    const { engine, provider, sink } = makeEngine({ dekPolicy: cached, decryptCache: { ttlMs: 1000, maxEntries: 10 } });
    provider.failNext = new KmsError('ThrottlingException', 'Rate exceeded');
    const err = await rejection(engine.encryptObject({ objectId: 'o', objectPath: 'p', tenant: 't', plaintext: Buffer.from('x'), encryptionContext: CTX }));
    expect((err as KmsError).code).toBe('ThrottlingException');
    const { envelope } = await engine.encryptObject({ objectId: 'o', objectPath: 'p', tenant: 't', plaintext: Buffer.from('x'), encryptionContext: CTX });
    provider.failNext = new KmsError('AccessDeniedException', 'not authorized');
    await expect(engine.decryptObject({ envelope, tenant: 't', objectId: 'o' })).rejects.toBeInstanceOf(KmsError);
    expect(sink.operations.map((o) => [o.operation, o.outcome, o.errorClass, o.errorCode, o.cacheHit])).toEqual([
      ['generate_data_key', 'failure', 'throttled', 'ThrottlingException', false],
      ['encrypt', 'failure', 'throttled', 'ThrottlingException', null],
      ['generate_data_key', 'success', null, null, false],
      ['encrypt', 'success', null, null, null],
      ['unwrap', 'failure', 'access_denied', 'AccessDeniedException', false],
      ['decrypt', 'failure', 'access_denied', 'AccessDeniedException', null],
    ]);
  });

  it('zeroes the DEK even when the event sink throws', async () => {
    const throwing = { writeOperation: () => { throw new Error('sink down'); }, writeDekRecord() {}, flush: async () => {}, close: async () => {} };
    const { engine, provider } = makeEngine({ sink: throwing });
    await expect(engine.encryptObject({ objectId: 'o', objectPath: 'p', tenant: 't', plaintext: Buffer.from('x'), encryptionContext: CTX })).rejects.toThrow('sink down');
    expect(provider.handedOut).toHaveLength(1);
    expect(isZeroed(provider.handedOut[0]!)).toBe(true);
  });

  it('serves concurrent encrypts and decrypts from shared cached DEKs correctly', async () => {
    const { engine, provider } = makeEngine({ dekPolicy: { ...cached, maxMessages: 7 }, decryptCache: { ttlMs: 60_000, maxEntries: 3 } });
    const inputs = Array.from({ length: 50 }, (_, i) => ({ i, pt: randomBytes(100 + i), ctx: { tenant: `t${i % 4}` } }));
    const sealed = await Promise.all(inputs.map(({ i, pt, ctx }) => engine.encryptObject({ objectId: `o${i}`, objectPath: 'p', tenant: 't', plaintext: pt, encryptionContext: ctx })));
    const opened = await Promise.all(sealed.map(({ envelope }, i) => engine.decryptObject({ envelope, tenant: 't', expectedContext: inputs[i]!.ctx })));
    opened.forEach((pt, i) => expect(pt.equals(inputs[i]!.pt)).toBe(true));
    engine.clearCaches();
    expect(provider.handedOut.every(isZeroed)).toBe(true);
  });

  it('classifies a malformed envelope as invalid_request without calling the key manager', async () => {
    const { engine, provider, sink } = makeEngine();
    const err = await rejection(engine.decryptObject({ envelope: Buffer.from('not an envelope'), tenant: 't' }));
    expect((err as EnvelopeError).reason).toBe('malformed');
    expect(provider.calls.decrypt).toBe(0);
    expect(sink.operations).toMatchObject([{ operation: 'decrypt', outcome: 'failure', errorClass: 'invalid_request', kekId: expect.any(String) }]);
  });
});
