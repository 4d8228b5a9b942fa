import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { SimulatedClock } from '../../lib/engine/clock';
import { EncryptDekCache, MAX_MESSAGES_PER_DEK } from '../../lib/engine/dek/encrypt-cache';
import type { DekPolicy } from '../../lib/engine/dek/policy';
import { canonicalizeContext, createHeaderTemplate } from '../../lib/engine/envelope';
import { CTX, makeEngine, T0 } from '../support/engine-fixture';
import { isZeroed } from '../support/recording-kek-provider';

const policy = (over: Partial<Extract<DekPolicy, { kind: 'cached' }>>): DekPolicy => ({
  kind: 'cached',
  maxAgeMs: 60_000,
  maxMessages: 1_000_000,
  maxBytes: 1 << 30,
  ...over,
});

function setup(dekPolicy: DekPolicy) {
  const f = makeEngine({ dekPolicy });
  let n = 0;
  const encrypt = async (bytes = 10, encryptionContext: Record<string, string> = CTX) => {
    n += 1;
    const r = await f.engine.encryptObject({ objectId: `o${n}`, objectPath: `p/${n}`, tenant: 'acme', plaintext: randomBytes(bytes), encryptionContext });
    return r.dekRecord.dekId;
  };
  /** DEK ids as letters in order of first use: ['a','a','b'] */
  const letters = (ids: string[]) => {
    const seen = new Map<string, string>();
    return ids.map((id) => seen.get(id) ?? (seen.set(id, String.fromCharCode(97 + seen.size)), seen.get(id)!));
  };
  return { ...f, encrypt, letters };
}

describe('cached DEK policy bounds', () => {
  it('retires a DEK when it reaches maxAgeMs on the engine clock, and zeroes it', async () => {
    const s = setup(policy({ maxAgeMs: 1000 }));
    const ids = [await s.encrypt()];
    s.clock.set(T0 + 500);
    ids.push(await s.encrypt());
    s.clock.set(T0 + 999);
    ids.push(await s.encrypt());
    expect(isZeroed(s.provider.handedOut[0]!)).toBe(false);
    s.clock.set(T0 + 1000);
    ids.push(await s.encrypt());
    expect(s.letters(ids)).toEqual(['a', 'a', 'a', 'b']);
    expect(s.provider.calls.generateDataKey).toBe(2);
    expect(isZeroed(s.provider.handedOut[0]!)).toBe(true);
    expect(isZeroed(s.provider.handedOut[1]!)).toBe(false);
  });

  it('retires a DEK after maxMessages messages, zeroing it as soon as the last one is sealed', async () => {
    const s = setup(policy({ maxMessages: 3 }));
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push(await s.encrypt());
    expect(isZeroed(s.provider.handedOut[0]!)).toBe(true);
    for (let i = 0; i < 4; i++) ids.push(await s.encrypt());
    expect(s.letters(ids)).toEqual(['a', 'a', 'a', 'b', 'b', 'b', 'c']);
  });

  it('retires a DEK before a message would take it past maxBytes, or when it reaches it exactly', async () => {
    const s = setup(policy({ maxBytes: 100 }));
    const ids = [await s.encrypt(40), await s.encrypt(40), await s.encrypt(40), await s.encrypt(20)];
    expect(s.letters(ids)).toEqual(['a', 'a', 'b', 'b']);
    expect(isZeroed(s.provider.handedOut[0]!)).toBe(true);
    const t = setup(policy({ maxBytes: 100 }));
    const exact = [await t.encrypt(50), await t.encrypt(50)];
    expect(isZeroed(t.provider.handedOut[0]!)).toBe(true);
    exact.push(await t.encrypt(10));
    expect(t.letters(exact)).toEqual(['a', 'a', 'b']);
  });

  it('uses a message larger than maxBytes once, without caching its DEK', async () => {
    const s = setup(policy({ maxBytes: 100 }));
    const ids = [await s.encrypt(10), await s.encrypt(500), await s.encrypt(10)];
    expect(s.letters(ids)).toEqual(['a', 'b', 'a']);
    expect(isZeroed(s.provider.handedOut[1]!)).toBe(true);
    expect(s.sink.operations.filter((o) => o.operation === 'generate_data_key').map((o) => o.cacheHit)).toEqual([false, false, true]);
  });

  it('partitions by encryption context (not by property order) and evicts the least recently used', async () => {
    const s = setup(policy({ maxEntries: 2 }));
    const A = { tenant: 'a', kind: 'x' };
    const B = { tenant: 'b' };
    const C = { tenant: 'c' };
    const ids = [await s.encrypt(1, A), await s.encrypt(1, { kind: 'x', tenant: 'a' }), await s.encrypt(1, B), await s.encrypt(1, A), await s.encrypt(1, C)];
    // A was used after B, so C evicts B.
    expect(isZeroed(s.provider.handedOut[1]!)).toBe(true);
    expect(isZeroed(s.provider.handedOut[0]!)).toBe(false);
    ids.push(await s.encrypt(1, A), await s.encrypt(1, B));
    expect(s.letters(ids)).toEqual(['a', 'a', 'b', 'a', 'c', 'a', 'd']);
  });

  it('zeroes every cached DEK on clearCaches', async () => {
    const s = setup(policy({}));
    await s.encrypt(1, { t: '1' });
    await s.encrypt(1, { t: '2' });
    expect(s.provider.handedOut.some(isZeroed)).toBe(false);
    s.engine.clearCaches();
    expect(s.provider.handedOut.every(isZeroed)).toBe(true);
  });
});

describe('cached DEK policy limits', () => {
  const clock = new SimulatedClock(T0);
  const limits = { maxAgeMs: 1000, maxMessages: 10, maxBytes: 1000, maxEntries: 4 };

  it('caps maxMessages at 2^32 at construction, with a clear error', () => {
    expect(MAX_MESSAGES_PER_DEK).toBe(4294967296);
    expect(() => makeEngine({ dekPolicy: policy({ maxMessages: 2 ** 32 + 1 }) })).toThrow(/maxMessages 4294967297 exceeds 2\^32/);
    expect(() => new EncryptDekCache({ ...limits, maxMessages: 2 ** 40 }, clock)).toThrow(RangeError);
    expect(() => makeEngine({ dekPolicy: policy({ maxMessages: 2 ** 32 }) })).not.toThrow();
  });

  it.each([
    ['maxMessages', { maxMessages: 0 }],
    ['maxMessages', { maxMessages: 1.5 }],
    ['maxBytes', { maxBytes: -1 }],
    ['maxBytes', { maxBytes: Number.POSITIVE_INFINITY }],
    ['maxAgeMs', { maxAgeMs: 0 }],
    ['maxAgeMs', { maxAgeMs: Number.NaN }],
    ['maxEntries', { maxEntries: 0 }],
  ])('refuses a bad %s', (name, over) => {
    expect(() => new EncryptDekCache({ ...limits, ...over }, clock)).toThrow(new RegExp(name));
  });

  it('never zeroes a DEK that an operation still holds, even when it is evicted meanwhile', () => {
    const cache = new EncryptDekCache(limits, clock);
    const key = randomBytes(32);
    const material = { dekId: 'd', keyId: 'k', kekVersion: null, wrappedDek: Buffer.from('w') };
    const header = createHeaderTemplate({ ...material, kekId: 'k', canonicalContext: canonicalizeContext({}) });
    const { lease } = cache.put('p', { ...material, requestId: null, header }, key, 1);
    cache.clear();
    expect(isZeroed(lease.plaintext)).toBe(false);
    expect(cache.take('p', 1)).toBeUndefined();
    lease.release();
    lease.release();
    expect(isZeroed(key)).toBe(true);
  });
});
