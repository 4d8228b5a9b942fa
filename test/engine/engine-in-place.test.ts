import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { decodeEnvelope, envelopeLayout, type EnvelopeField } from '../../lib/engine/envelope';
import { decodeEnvelopeAndHeader, envelopeAt, locateEnvelope } from '../../lib/engine/envelope/decode';
import { canonicalizeContext } from '../../lib/engine/envelope/context';
import { createHeaderTemplate, openEnvelope, openEnvelopeAt, sealEnvelope, sealEnvelopeParts } from '../../lib/engine/envelope/seal';
import { EnvelopeError } from '../../lib/engine/errors';
import { DekRecordSchema } from '../../lib/model/dek-record';
import { KeyOperationSchema } from '../../lib/model/key-operation';
import { CTX, makeEngine } from '../support/engine-fixture';

// The copy-free paths (encryptObjectParts, locateEnvelope + openEnvelopeAt) must give
// exactly what the plain ones give: the same bytes, the same errors, the same events.

function template(dekId = 'dek-1', ctx: Record<string, string> = { tenant: 'acme' }) {
  return createHeaderTemplate({ dekId, kekId: 'arn:aws:kms:eu-west-1:111122223333:key/k', kekVersion: 'v1', wrappedDek: randomBytes(120), canonicalContext: canonicalizeContext(ctx) });
}

function flip(buf: Buffer, at: number): void {
  buf[at] = buf[at]! ^ 1;
}

/** The error a call throws, as "reason: message" (EnvelopeError) or "Name: message". */
function errorOf(fn: () => unknown): string {
  try {
    fn();
    return 'ok';
  } catch (err) {
    if (err instanceof EnvelopeError) return `${err.reason}: ${err.message}`;
    return `${(err as Error).name}: ${(err as Error).message}`;
  }
}

describe('sealEnvelopeParts', () => {
  it('gives the envelope sealEnvelope gives, in pieces', () => {
    const t = template();
    const dek = randomBytes(32);
    for (const n of [0, 1, 15, 16, 1000, 65_536 + 3]) {
      const pt = randomBytes(n);
      const parts = sealEnvelopeParts(t, dek, pt);
      const joined = Buffer.concat(parts);
      const env = decodeEnvelope(joined);
      expect(openEnvelope(env, dek).equals(pt)).toBe(true);
      // Byte for byte what sealEnvelope writes, given the same IV: the header and the length
      // match; IV, ciphertext and tag are a fresh encryption.
      const one = sealEnvelope(t, dek, pt);
      const a = envelopeLayout(joined);
      const b = envelopeLayout(one);
      expect(a).toEqual(b);
      expect(joined.subarray(0, a.iv.start).equals(one.subarray(0, b.iv.start))).toBe(true);
      expect(joined.subarray(a.ciphertextLength.start, a.ciphertextLength.end).equals(one.subarray(b.ciphertextLength.start, b.ciphertextLength.end))).toBe(true);
      expect(parts[0]!.length).toBe(a.ciphertext.start);
      expect(parts[parts.length - 1]!.length).toBe(16);
    }
  });

  it('draws a fresh IV each time and never shares a header buffer between calls', () => {
    const t = template();
    const dek = randomBytes(32);
    const first = sealEnvelopeParts(t, dek, Buffer.from('one'));
    const firstCopy = Buffer.concat(first);
    const ivs = new Set<string>();
    for (let i = 0; i < 2000; i++) ivs.add(decodeEnvelope(Buffer.concat(sealEnvelopeParts(t, dek, Buffer.from('x')))).iv.toString('hex'));
    expect(ivs.size).toBe(2000);
    // Scribbling over a returned header touches neither the template nor earlier envelopes.
    const second = sealEnvelopeParts(t, dek, Buffer.from('two'));
    second[0]!.fill(0);
    expect(Buffer.concat(first).equals(firstCopy)).toBe(true);
    expect(openEnvelope(decodeEnvelope(Buffer.concat(sealEnvelopeParts(t, dek, Buffer.from('three')))), dek).toString()).toBe('three');
  });

  it('refuses a wrong-size key', () => {
    expect(() => sealEnvelopeParts(template(), randomBytes(16), Buffer.from('x'))).toThrow(RangeError);
  });
});

describe('locateEnvelope and openEnvelopeAt', () => {
  const t = template();
  const dek = randomBytes(32);
  const envelope = sealEnvelope(t, dek, Buffer.from('attack at dawn'));

  it('find the fields envelopeLayout finds, and open to the same plaintext', () => {
    const at = locateEnvelope(envelope);
    const layout = envelopeLayout(envelope);
    expect(at.ivAt).toBe(layout.iv.start);
    expect(at.ctAt).toBe(layout.ciphertext.start);
    expect(at.ctLength).toBe(layout.ciphertext.end - layout.ciphertext.start);
    expect(at.tagAt).toBe(layout.tag.start);
    expect(at.header.aad.equals(decodeEnvelope(envelope).aad)).toBe(true);
    expect(envelopeAt(envelope, at)).toEqual(decodeEnvelope(envelope));
    expect(openEnvelopeAt(envelope, at, dek).toString()).toBe('attack at dawn');
    // A copy in another buffer finds the same header (memo hit) and still opens.
    const copy = Buffer.from(envelope);
    const again = locateEnvelope(copy);
    expect(again.header).toBe(at.header);
    expect(openEnvelopeAt(copy, again, dek).toString()).toBe('attack at dawn');
  });

  it('throw what decodeEnvelope throws for every truncation and every flipped byte', () => {
    const cases: Buffer[] = [];
    for (let n = 0; n < envelope.length; n++) cases.push(envelope.subarray(0, n));
    cases.push(Buffer.concat([envelope, Buffer.from([0])]));
    for (let i = 0; i < envelope.length; i++) {
      for (const bit of [0x01, 0x80]) {
        const c = Buffer.from(envelope);
        c[i] = c[i]! ^ bit;
        cases.push(c);
      }
    }
    for (const c of cases) {
      const plain = errorOf(() => decodeEnvelope(c));
      expect(errorOf(() => locateEnvelope(c))).toBe(plain);
      if (plain !== 'ok') continue;
      // Whatever decodes: the in-place open answers as openEnvelope does.
      const at = locateEnvelope(c);
      expect(errorOf(() => openEnvelopeAt(c, at, dek))).toBe(errorOf(() => openEnvelope(decodeEnvelope(c), dek)));
    }
  });

  it('authenticate each message with its own IV and tag when calls alternate (reused input buffers)', () => {
    const other = sealEnvelope(template('dek-2', { tenant: 'other' }), dek, Buffer.from('second'));
    for (let i = 0; i < 50; i++) {
      expect(openEnvelopeAt(envelope, locateEnvelope(envelope), dek).toString()).toBe('attack at dawn');
      expect(openEnvelopeAt(other, locateEnvelope(other), dek).toString()).toBe('second');
    }
    const bad = Buffer.from(other);
    flip(bad, envelopeLayout(bad).tag.end - 1);
    expect(errorOf(() => openEnvelopeAt(bad, locateEnvelope(bad), dek))).toMatch(/^authentication_failed/);
    expect(openEnvelopeAt(envelope, locateEnvelope(envelope), dek).toString()).toBe('attack at dawn');
    expect(errorOf(() => openEnvelopeAt(envelope, locateEnvelope(envelope), randomBytes(32)))).toMatch(/^authentication_failed/);
    expect(errorOf(() => openEnvelopeAt(envelope, locateEnvelope(envelope), randomBytes(16)))).toMatch(/^authentication_failed/);
  });

  it('match headers by their algorithm id too', () => {
    // Same header bytes after the algorithm id: the memo must not hand out the entry
    // (and its AAD copy) of the original for the altered envelope.
    const { header } = decodeEnvelopeAndHeader(envelope);
    const c = Buffer.from(envelope);
    flip(c, envelopeLayout(c).algorithm.end - 1);
    expect(errorOf(() => locateEnvelope(c))).toMatch(/^unsupported_version/);
    expect(locateEnvelope(envelope).header).toBe(header);
  });
});

describe('encryptObjectParts', () => {
  it.each([
    ['per-object', { kind: 'per-object' } as const],
    ['cached', { kind: 'cached', maxAgeMs: 60_000, maxMessages: 10, maxBytes: 1 << 20 } as const],
  ])('round-trips through decryptObject and emits what encryptObject emits (%s)', async (_label, dekPolicy) => {
    const a = makeEngine({ dekPolicy, decryptCache: { ttlMs: 60_000, maxEntries: 10 } });
    // The same key manager and seeds: everything but the key material and the IV matches.
    const b = makeEngine({ dekPolicy, decryptCache: { ttlMs: 60_000, maxEntries: 10 } }, { provider: a.inner, kekId: a.kekId });
    const written: Array<[Buffer, Buffer]> = [];
    for (let i = 0; i < 3; i++) {
      const req = { objectId: `o${i}`, objectPath: `s3://b/o${i}`, tenant: 'acme', plaintext: randomBytes(100 + i * 5000), encryptionContext: CTX, traceId: `t${i}` };
      const parts = await a.engine.encryptObjectParts(req);
      const one = await b.engine.encryptObject(req);
      const joined = Buffer.concat(parts.parts);
      expect(parts.byteLength).toBe(joined.length);
      expect(joined.length).toBe(one.envelope.length);
      written.push([joined, req.plaintext]);
      expect(parts.dekRecord).toEqual(DekRecordSchema.parse(parts.dekRecord));
      expect(parts.dekRecord).toEqual(one.dekRecord);
      const layout = envelopeLayout(joined);
      expect(joined.subarray(0, layout.dekId.end).equals(one.envelope.subarray(0, layout.dekId.end))).toBe(true);
    }
    const shape = (ops: typeof a.sink.operations) => ops.map((o) => KeyOperationSchema.parse({ ...o })).map((o) => [o.operation, o.outcome, o.cacheHit, o.bytes, o.traceId, o.id]);
    expect(shape(a.sink.operations)).toEqual(shape(b.sink.operations));
    expect(a.sink.operations).toEqual(b.sink.operations);
    for (const [joined, pt] of written) expect((await a.engine.decryptObject({ envelope: joined, tenant: 'acme' })).equals(pt)).toBe(true);
  });

  it('emits failures as encryptObject does and hands out no parts', async () => {
    const { engine, sink } = makeEngine();
    await expect(engine.encryptObjectParts({ objectId: 'o', objectPath: 'p', tenant: 't', plaintext: Buffer.from('x'), encryptionContext: { bad: 1 } as unknown as Record<string, string> })).rejects.toThrow();
    expect(sink.operations.map((o) => [o.operation, o.outcome])).toEqual([['encrypt', 'failure']]);
    expect(sink.dekRecords).toEqual([]);
  });
});

describe('decryptObject on the in-place path', () => {
  it('refuses a tampered field after a cache hit on the same header', async () => {
    const { engine, sink } = makeEngine({ dekPolicy: { kind: 'cached', maxAgeMs: 60_000, maxMessages: 100, maxBytes: 1 << 20 }, decryptCache: { ttlMs: 60_000, maxEntries: 10 } });
    const { envelope } = await engine.encryptObject({ objectId: 'o', objectPath: 'p', tenant: 't', plaintext: Buffer.from('secret payload'), encryptionContext: CTX });
    expect((await engine.decryptObject({ envelope, tenant: 't' })).toString()).toBe('secret payload');
    const fields: EnvelopeField[] = ['iv', 'ciphertext', 'tag'];
    for (const f of fields) {
      const bad = Buffer.from(envelope);
      flip(bad, envelopeLayout(bad)[f].end - 1);
      await expect(engine.decryptObject({ envelope: bad, tenant: 't' })).rejects.toMatchObject({ reason: 'authentication_failed' });
    }
    const ops = sink.operations.filter((o) => o.operation === 'decrypt');
    expect(ops.map((o) => [o.outcome, o.errorClass, o.bytes])).toEqual([
      ['success', null, 14],
      ...fields.map(() => ['failure', expect.any(String), 14]),
    ]);
    for (const o of sink.operations) KeyOperationSchema.parse(o);
  });
});
