import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { SimulatedClock } from '../../lib/engine/clock';
import { DecryptDekCache } from '../../lib/engine/dek/decrypt-cache';
import { decodeEnvelope, encodeEnvelope } from '../../lib/engine/envelope';
import { EnvelopeError } from '../../lib/engine/errors';
import { CTX, makeEngine, T0 } from '../support/engine-fixture';
import { isZeroed } from '../support/recording-kek-provider';

const cachedEncrypt = { kind: 'cached' as const, maxAgeMs: 3_600_000, maxMessages: 1000, maxBytes: 1 << 30 };

async function encryptMany(engine: ReturnType<typeof makeEngine>['engine'], n: number) {
  const out: Buffer[] = [];
  for (let i = 0; i < n; i++) {
    out.push((await engine.encryptObject({ objectId: `o${i}`, objectPath: `p/${i}`, tenant: 'acme', plaintext: Buffer.from(`object ${i}`), encryptionContext: CTX })).envelope);
  }
  return out;
}

const unwrapHits = (ops: Array<{ operation: string; cacheHit: boolean | null }>) => ops.filter((o) => o.operation === 'unwrap').map((o) => o.cacheHit);

describe('decrypt-side DEK cache', () => {
  it('serves messages sharing a DEK from one key-manager Decrypt, and reports hits', async () => {
    const { engine, provider, sink } = makeEngine({ dekPolicy: cachedEncrypt, decryptCache: { ttlMs: 60_000, maxEntries: 10 } });
    const envs = await encryptMany(engine, 5);
    for (const [i, envelope] of envs.entries()) expect((await engine.decryptObject({ envelope, tenant: 'acme' })).toString()).toBe(`object ${i}`);
    expect(provider.calls.decrypt).toBe(1);
    expect(unwrapHits(sink.operations)).toEqual([false, true, true, true, true]);
  });

  it('reports cacheHit null when there is no decrypt cache, and calls the key manager every time', async () => {
    const { engine, provider, sink } = makeEngine({ dekPolicy: cachedEncrypt, decryptCache: false });
    for (const envelope of await encryptMany(engine, 3)) await engine.decryptObject({ envelope, tenant: 'acme' });
    expect(provider.calls.decrypt).toBe(3);
    expect(unwrapHits(sink.operations)).toEqual([null, null, null]);
  });

  it('expires entries after ttlMs on the engine clock and zeroes them', async () => {
    const { engine, provider, clock } = makeEngine({ decryptCache: { ttlMs: 1000, maxEntries: 10 } });
    const [envelope] = await encryptMany(engine, 1);
    await engine.decryptObject({ envelope: envelope!, tenant: 'acme' });
    const first = provider.handedOut[1]!;
    clock.set(T0 + 999);
    await engine.decryptObject({ envelope: envelope!, tenant: 'acme' });
    expect(provider.calls.decrypt).toBe(1);
    expect(isZeroed(first)).toBe(false);
    clock.set(T0 + 1000);
    await engine.decryptObject({ envelope: envelope!, tenant: 'acme' });
    expect(provider.calls.decrypt).toBe(2);
    expect(isZeroed(first)).toBe(true);
  });

  it('holds at most maxEntries DEKs, evicting (and zeroing) the least recently used', async () => {
    const { engine, provider } = makeEngine({ decryptCache: { ttlMs: 60_000, maxEntries: 2 } });
    const [a, b, c] = (await encryptMany(engine, 3)) as [Buffer, Buffer, Buffer];
    for (const envelope of [a, b, a, c]) await engine.decryptObject({ envelope, tenant: 'acme' });
    expect(provider.calls.decrypt).toBe(3);
    // handedOut: 3 generate, then unwraps of a, b, c. b was least recently used when c came.
    const [ua, ub, uc] = provider.handedOut.slice(3);
    expect([isZeroed(ua!), isZeroed(ub!), isZeroed(uc!)]).toEqual([false, true, false]);
    await engine.decryptObject({ envelope: a, tenant: 'acme' });
    await engine.decryptObject({ envelope: c, tenant: 'acme' });
    expect(provider.calls.decrypt).toBe(3);
    await engine.decryptObject({ envelope: b, tenant: 'acme' });
    expect(provider.calls.decrypt).toBe(4);
  });

  it('treats an entry under another KEK version as a miss; the key manager then decides (kek_mismatch)', async () => {
    const { engine, provider } = makeEngine({ decryptCache: { ttlMs: 60_000, maxEntries: 10 } });
    const [envelope] = await encryptMany(engine, 1);
    await engine.decryptObject({ envelope: envelope!, tenant: 'acme' });
    const forged = encodeEnvelope({ ...decodeEnvelope(envelope!), kekVersion: 'some-other-version' });
    await expect(engine.decryptObject({ envelope: forged, tenant: 'acme' })).rejects.toSatisfy((e) => e instanceof EnvelopeError && e.reason === 'kek_mismatch');
    expect(provider.calls.decrypt).toBe(2);
    expect(isZeroed(provider.handedOut[2]!)).toBe(true);
    await engine.decryptObject({ envelope: envelope!, tenant: 'acme' });
    expect(provider.calls.decrypt).toBe(2);
  });

  it('keys entries by wrapped DEK and encryption context, and refuses bad options', () => {
    const w = randomBytes(100);
    const k = DecryptDekCache.key(w, Buffer.from([0, 0]));
    expect(k).toBe(DecryptDekCache.key(Buffer.from(w), Buffer.from([0, 0])));
    expect(k).not.toBe(DecryptDekCache.key(w, Buffer.from([0, 1, 0, 1, 0x61, 0, 0])));
    const clock = new SimulatedClock(T0);
    expect(() => new DecryptDekCache({ ttlMs: 0, maxEntries: 1 }, clock)).toThrow(/ttlMs/);
    expect(() => new DecryptDekCache({ ttlMs: 10, maxEntries: 0 }, clock)).toThrow(/maxEntries/);
  });
});
