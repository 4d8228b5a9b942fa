import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  canonicalizeContext,
  createHeaderTemplate,
  decodeCanonicalContext,
  decodeEnvelope,
  encodeEnvelope,
  envelopeFromJson,
  envelopeLayout,
  envelopeToJson,
  openEnvelope,
  rewrapEnvelope,
  sealEnvelope,
} from '../../lib/engine/envelope';
import { EnvelopeError, type EnvelopeErrorReason } from '../../lib/engine/errors';

const KEK = 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const CTX = { tenant: 'acme', purpose: 'orders', 'object-id': 'obj-1' };

function seal(plaintext: Buffer, over: { kekVersion?: string | null; ctx?: Record<string, string> } = {}) {
  const dek = randomBytes(32);
  const header = createHeaderTemplate({
    dekId: 'dek-0001',
    kekId: KEK,
    kekVersion: over.kekVersion === undefined ? 'v1' : over.kekVersion,
    wrappedDek: randomBytes(180),
    canonicalContext: canonicalizeContext(over.ctx ?? CTX),
  });
  return { dek, envelope: sealEnvelope(header, dek, plaintext) };
}

function reasonOf(fn: () => unknown): EnvelopeErrorReason {
  try {
    fn();
  } catch (err) {
    if (err instanceof EnvelopeError) return err.reason;
    throw err;
  }
  throw new Error('expected an EnvelopeError, but the call succeeded');
}

function flip(buf: Buffer, at: number): Buffer {
  const copy = Buffer.from(buf);
  copy[at] = copy[at]! ^ 0x01;
  return copy;
}

describe('envelope binary form', () => {
  it('round-trips payloads of several sizes, including empty and 1 MiB', () => {
    for (const size of [0, 1, 15, 16, 17, 4096, 65536, 1 << 20]) {
      const pt = randomBytes(size);
      const { dek, envelope } = seal(pt);
      const env = decodeEnvelope(envelope);
      expect(env.kekId).toBe(KEK);
      expect(env.kekVersion).toBe('v1');
      expect(env.dekId).toBe('dek-0001');
      expect(env.encryptionContext).toEqual(CTX);
      expect(env.iv).toHaveLength(12);
      expect(env.tag).toHaveLength(16);
      expect(env.ciphertext).toHaveLength(size);
      expect(openEnvelope(env, dek).equals(pt)).toBe(true);
    }
  });

  it('stores a null KEK version and non-ASCII context faithfully', () => {
    const ctx = { 'clé': 'välue ✓', '😀': '', z: 'last' };
    const { dek, envelope } = seal(Buffer.from('hello'), { kekVersion: null, ctx });
    const env = decodeEnvelope(envelope);
    expect(env.kekVersion).toBeNull();
    expect(env.encryptionContext).toEqual(ctx);
    expect(openEnvelope(env, dek).toString()).toBe('hello');
  });

  it('starts with magic, format version 1 and algorithm id 1, and lays fields out in order', () => {
    const { envelope } = seal(Buffer.from('x'));
    expect(envelope.subarray(0, 4).toString('latin1')).toBe('KSEV');
    expect(envelope[4]).toBe(1);
    expect(envelope.readUInt16BE(5)).toBe(1);
    const layout = envelopeLayout(envelope);
    const order = ['magic', 'formatVersion', 'algorithm', 'dekId', 'encryptionContext', 'kekId', 'kekVersion', 'wrappedDek', 'iv', 'ciphertextLength', 'ciphertext', 'tag'] as const;
    for (let i = 1; i < order.length; i++) expect(layout[order[i]!].start).toBe(layout[order[i - 1]!].end);
    expect(layout.tag.end).toBe(envelope.length);
  });

  it('refuses every truncation and any trailing byte as malformed', () => {
    const { envelope } = seal(Buffer.from('a short message'));
    for (let n = 0; n < envelope.length; n++) expect(reasonOf(() => decodeEnvelope(envelope.subarray(0, n)))).toBe('malformed');
    expect(reasonOf(() => decodeEnvelope(Buffer.concat([envelope, Buffer.from([0])])))).toBe('malformed');
  });

  it('refuses an unknown format version or algorithm as unsupported, and bad magic as malformed', () => {
    const { envelope } = seal(Buffer.from('m'));
    const v2 = Buffer.from(envelope);
    v2[4] = 2;
    expect(reasonOf(() => decodeEnvelope(v2))).toBe('unsupported_version');
    const alg = Buffer.from(envelope);
    alg.writeUInt16BE(2, 5);
    expect(reasonOf(() => decodeEnvelope(alg))).toBe('unsupported_version');
    expect(reasonOf(() => decodeEnvelope(flip(envelope, 0)))).toBe('malformed');
  });

  it('refuses a lying ciphertext length, a bad KEK version flag and invalid UTF-8 as malformed', () => {
    const { envelope } = seal(Buffer.from('payload'));
    const layout = envelopeLayout(envelope);
    const longer = Buffer.from(envelope);
    longer.writeUInt32BE(8, layout.ciphertextLength.start + 4);
    expect(reasonOf(() => decodeEnvelope(longer))).toBe('malformed');
    const flag = Buffer.from(envelope);
    flag[layout.kekVersion.start] = 7;
    expect(reasonOf(() => decodeEnvelope(flag))).toBe('malformed');
    const utf = Buffer.from(envelope);
    utf[layout.dekId.start + 2] = 0xff;
    expect(reasonOf(() => decodeEnvelope(utf))).toBe('malformed');
  });

  it.each([
    ['ciphertext', (l: ReturnType<typeof envelopeLayout>) => l.ciphertext.start + 3],
    ['tag', (l: ReturnType<typeof envelopeLayout>) => l.tag.end - 1],
    ['iv', (l: ReturnType<typeof envelopeLayout>) => l.iv.start],
    ['DEK id', (l: ReturnType<typeof envelopeLayout>) => l.dekId.end - 1],
    ['encryption context value', (l: ReturnType<typeof envelopeLayout>) => l.encryptionContext.end - 1],
  ])('fails authentication when a byte of the %s changes', (_name, at) => {
    const { dek, envelope } = seal(Buffer.from('the quick brown fox jumps over the lazy dog'));
    const bad = flip(envelope, at(envelopeLayout(envelope)));
    expect(reasonOf(() => openEnvelope(decodeEnvelope(bad), dek))).toBe('authentication_failed');
  });

  it('fails authentication under another DEK', () => {
    const { envelope } = seal(Buffer.from('secret'));
    expect(reasonOf(() => openEnvelope(decodeEnvelope(envelope), randomBytes(32)))).toBe('authentication_failed');
  });

  it('rewraps by replacing only the key block: IV, ciphertext and tag are unchanged and still open', () => {
    const pt = randomBytes(1000);
    const { dek, envelope } = seal(pt);
    const env = decodeEnvelope(envelope);
    const re = decodeEnvelope(rewrapEnvelope(env, { kekId: `${KEK}-b`, kekVersion: 'v2', wrappedDek: Buffer.from('new wrapped key') }));
    expect(re.kekId).toBe(`${KEK}-b`);
    expect(re.kekVersion).toBe('v2');
    expect(re.wrappedDek.toString()).toBe('new wrapped key');
    expect(re.iv.equals(env.iv) && re.tag.equals(env.tag) && re.ciphertext.equals(env.ciphertext)).toBe(true);
    expect(re.aad.equals(env.aad)).toBe(true);
    expect(openEnvelope(re, dek).equals(pt)).toBe(true);
  });
});

describe('encryption context canonical form', () => {
  it('does not depend on property order and is unambiguous', () => {
    expect(canonicalizeContext({ a: '1', b: '2' }).equals(canonicalizeContext({ b: '2', a: '1' }))).toBe(true);
    expect(canonicalizeContext({ a: 'b=c' }).equals(canonicalizeContext({ 'a=b': 'c' }))).toBe(false);
    expect(canonicalizeContext({ ab: '' }).equals(canonicalizeContext({ a: 'b' }))).toBe(false);
  });

  it('sorts keys by UTF-8 bytes, not UTF-16 code units', () => {
    // U+FF21 is EF BC A1 in UTF-8 and sorts before U+1F600 (F0 ...), though its UTF-16 unit is higher.
    const c = canonicalizeContext({ '😀': '1', '\uff21': '2' });
    expect(c.readUInt16BE(2)).toBe(3);
    expect(c.subarray(4, 7).toString()).toBe('\uff21');
    expect(decodeCanonicalContext(c)).toEqual({ '😀': '1', '\uff21': '2' });
  });

  it('refuses a non-canonical order, an empty key or trailing bytes', () => {
    const swapped = Buffer.concat([Buffer.from([0, 2]), Buffer.from([0, 1]), Buffer.from('b'), Buffer.from([0, 0]), Buffer.from([0, 1]), Buffer.from('a'), Buffer.from([0, 0])]);
    expect(reasonOf(() => decodeCanonicalContext(swapped))).toBe('malformed');
    expect(reasonOf(() => decodeCanonicalContext(Buffer.from([0, 1, 0, 0, 0, 0])))).toBe('malformed');
    expect(reasonOf(() => decodeCanonicalContext(Buffer.concat([canonicalizeContext({ a: '1' }), Buffer.from([0])])))).toBe('malformed');
  });
});

describe('envelope JSON form', () => {
  it('round-trips: binary -> JSON text -> envelope opens, and re-encodes to identical bytes', () => {
    const pt = randomBytes(3000);
    const { dek, envelope } = seal(pt);
    const text = JSON.stringify(envelopeToJson(decodeEnvelope(envelope)));
    const back = envelopeFromJson(text);
    expect(openEnvelope(back, dek).equals(pt)).toBe(true);
    expect(encodeEnvelope(back).equals(envelope)).toBe(true);
    expect(JSON.parse(text)).toMatchObject({ format: 'keyscope-envelope', version: 1, algorithm: 'AES_256_GCM_IV12_TAG16', kekVersion: 'v1' });
  });

  it('fails authentication when JSON fields covered by the AAD or the tag change', () => {
    const { dek, envelope } = seal(Buffer.from('json payload'));
    const j = envelopeToJson(decodeEnvelope(envelope));
    const ctx = { ...j, encryptionContext: { ...j.encryptionContext, tenant: 'evil' } };
    expect(reasonOf(() => openEnvelope(envelopeFromJson(ctx), dek))).toBe('authentication_failed');
    expect(reasonOf(() => openEnvelope(envelopeFromJson({ ...j, dekId: 'dek-0002' }), dek))).toBe('authentication_failed');
    const ct = Buffer.from(j.ciphertext, 'base64');
    ct[0] = ct[0]! ^ 1;
    expect(reasonOf(() => openEnvelope(envelopeFromJson({ ...j, ciphertext: ct.toString('base64') }), dek))).toBe('authentication_failed');
  });

  it('refuses unknown versions and algorithms as unsupported, and bad shapes as malformed', () => {
    const { envelope } = seal(Buffer.from('x'));
    const j = envelopeToJson(decodeEnvelope(envelope));
    expect(reasonOf(() => envelopeFromJson({ ...j, version: 2 }))).toBe('unsupported_version');
    expect(reasonOf(() => envelopeFromJson({ ...j, algorithm: 'AES_128_CBC' }))).toBe('unsupported_version');
    expect(reasonOf(() => envelopeFromJson('{not json'))).toBe('malformed');
    expect(reasonOf(() => envelopeFromJson({ ...j, iv: Buffer.alloc(8).toString('base64') }))).toBe('malformed');
    expect(reasonOf(() => envelopeFromJson({ ...j, tag: '***' }))).toBe('malformed');
    expect(reasonOf(() => envelopeFromJson({ ...j, extra: 1 }))).toBe('malformed');
    expect(reasonOf(() => envelopeFromJson(null))).toBe('malformed');
  });
});
