import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DecryptDekCache } from '@/lib/engine/dek/decrypt-cache';
import { OperationEmitter } from '@/lib/engine/engine-events';
import { decodeEnvelope, envelopeLayout } from '@/lib/engine/envelope/binary';
import { ByteMemo } from '@/lib/engine/envelope/byte-memo';
import { canonicalizeContext } from '@/lib/engine/envelope/context';
import { ContextMemo } from '@/lib/engine/envelope/context-memo';
import { createHeaderTemplate, sealEnvelope } from '@/lib/engine/envelope/seal';
import { SeededRandom } from '@/lib/engine/random';
import type { EventSink } from '@/lib/engine/sinks/event-sink';
import { UuidStream } from '@/lib/engine/uuid-stream';

// The memoized and inlined hot paths must give exactly what the plain code gives.

function envelope(dekId: string, ctx: Record<string, string>): Buffer {
  const t = createHeaderTemplate({ dekId, kekId: 'arn:aws:kms:eu-west-1:111122223333:key/k', kekVersion: 'v1', wrappedDek: randomBytes(120), canonicalContext: canonicalizeContext(ctx) });
  return sealEnvelope(t, randomBytes(32), Buffer.from('payload'));
}

describe('engine fast paths', () => {
  it('uuid() is hex(16) with the version and variant nibbles set, draw for draw', () => {
    const fast = new SeededRandom(5);
    const plain = new SeededRandom(5);
    for (let i = 0; i < 2000; i++) {
      const h = plain.hex(16);
      const variant = ((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16);
      expect(fast.uuid()).toBe(`${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`);
      if (i % 3 === 0) expect(fast.next()).toBe(plain.next());
    }
  });

  it('iso() is toISOString for any clock reading, and throws where it throws', () => {
    const emitter = new OperationEmitter({} as EventSink, new UuidStream(new SeededRandom(1)), { service: 's', principal: null, region: null, accountId: null });
    const r = new SeededRandom(2);
    const values = [0, -0, 1, -1, 999, 1000, -1000, -1001, 1.7, -1.7, 8.64e15, -8.64e15, Date.UTC(2026, 11, 31, 23, 59, 59, 999), Date.UTC(10000, 0, 1)];
    for (let i = 0; i < 5000; i++) values.push(i % 2 ? 1.7e12 + r.int(0, 4000) + (i % 3 ? 0 : r.next()) : r.int(-1e13, 1e13));
    for (const ms of values) for (const x of [ms, ms, Math.min(ms + 1, 8.64e15)]) expect(emitter.iso(x)).toBe(new Date(x).toISOString());
    for (const bad of [Number.NaN, Infinity, 8.64e15 + 1]) expect(() => emitter.iso(bad)).toThrow(RangeError);
  });

  it('decodes a repeated header to equal, independent contexts, and a changed one afresh', () => {
    const a = envelope('dek-a', { tenant: 'acme', service: 's' });
    const first = decodeEnvelope(a);
    first.encryptionContext.tenant = 'changed';
    const copy = Buffer.from(a);
    const again = decodeEnvelope(copy);
    expect(again.encryptionContext).toEqual({ tenant: 'acme', service: 's' });
    expect(again.dekId).toBe('dek-a');
    // Still views into the buffer given, not the memo's bytes.
    const w = again.wrappedDek[0]!;
    const at = envelopeLayout(a).wrappedDek.start + 2;
    copy[at] = copy[at]! ^ 0xff;
    expect(again.wrappedDek[0]).toBe(w ^ 0xff);
    const b = Buffer.from(a);
    b[envelopeLayout(a).dekId.end - 1] = 'b'.charCodeAt(0);
    expect(decodeEnvelope(b).dekId).toBe('dek-b');
  });

  it('encodes a context object from its content at each call, and refuses non-strings whatever came before', () => {
    const memo = new ContextMemo();
    const ctx: Record<string, string> = { tenant: 'a', service: 's' };
    expect(memo.get(ctx).bytes).toEqual(canonicalizeContext(ctx));
    ctx.tenant = 'b';
    expect(memo.get(ctx).bytes).toEqual(canonicalizeContext({ tenant: 'b', service: 's' }));
    ctx.extra = 'x';
    expect(memo.get(ctx).bytes).toEqual(canonicalizeContext({ tenant: 'b', service: 's', extra: 'x' }));
    memo.get({});
    expect(() => memo.get({ a: undefined } as unknown as Record<string, string>)).toThrow(TypeError);
  });

  it('ByteMemo hits only on the exact bytes and stays bounded', () => {
    const memo = new ByteMemo<string>(2);
    const buf = Buffer.from('..abc..abd..');
    memo.set(buf, 2, 5, 'abc');
    expect(memo.get(Buffer.from('abc'), 0, 3)).toBe('abc');
    expect(memo.get(buf, 7, 10)).toBeUndefined();
    expect(memo.get(buf, 2, 4)).toBeUndefined();
    const long = randomBytes(300);
    memo.set(long, 0, 300, 'long');
    const other = Buffer.from(long);
    other[150] = other[150]! ^ 1; // outside the sampled ends: found by hash, refused by the comparison
    expect(memo.get(other, 0, 300)).toBeUndefined();
    expect(memo.get(Buffer.from(long), 0, 300)).toBe('long');
    // A third entry: both held entries were used since they went in, so each gets its
    // second chance and the oldest, 'abc', goes.
    memo.set(buf, 7, 10, 'abd');
    expect([memo.get(buf, 2, 5), memo.get(long, 0, 300), memo.get(buf, 7, 10)]).toEqual([undefined, 'long', 'abd']);
  });

  it('ByteMemo answers a repeated range from its last hit only on the same bytes, and forgets it when it goes', () => {
    const memo = new ByteMemo<string>(1);
    const a = randomBytes(300);
    memo.set(a, 0, 300, 'a');
    expect(memo.get(Buffer.from(a), 0, 300)).toBe('a'); // now the last hit
    const changed = Buffer.from(a);
    changed[150] = changed[150]! ^ 1;
    expect(memo.get(changed, 0, 300)).toBeUndefined();
    expect(memo.get(Buffer.concat([Buffer.from('x'), a]), 1, 301)).toBe('a');
    memo.set(a, 0, 300, 'a2'); // same bytes, new value
    expect(memo.get(a, 0, 300)).toBe('a2');
    memo.set(changed, 0, 300, 'changed'); // evicts 'a2', the last hit
    expect(memo.get(a, 0, 300)).toBeUndefined();
    expect(memo.get(changed, 0, 300)).toBe('changed');
  });

  it('keys the decrypt cache by exact bytes, with the wrapped DEK length fixing the split', () => {
    const w = randomBytes(40);
    const c = canonicalizeContext({ a: 'b' });
    expect(DecryptDekCache.key(w, c)).toBe(DecryptDekCache.key(Buffer.from(w), Buffer.from(c)));
    expect(DecryptDekCache.key(Buffer.concat([w, c.subarray(0, 1)]), c.subarray(1))).not.toBe(DecryptDekCache.key(w, c));
  });
});
