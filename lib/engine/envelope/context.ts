import type { EncryptionContext } from '../../model/encryption-context';
import { EnvelopeError } from '../errors';
import { ByteReader } from './bytes';

/**
 * Orders strings by Unicode code point, which is the order of their UTF-8 bytes. Plain
 * `<` compares UTF-16 code units, which puts surrogate pairs (U+10000 and up) before
 * U+E000..U+FFFF; shifting the two ranges past each other fixes that without encoding.
 */
export function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x === y) continue;
    if (x >= 0xd800) x += x >= 0xe000 ? -0x800 : 0x2000;
    if (y >= 0xd800) y += y >= 0xe000 ? -0x800 : 0x2000;
    return x - y;
  }
  return a.length - b.length;
}

// A lone surrogate has no UTF-8 form (it would be stored as U+FFFD and no longer match
// the context the key manager was given), so it is refused.
const LONE_SURROGATE = /\p{Cs}/u;

function fieldLength(s: unknown, what: string): number {
  if (typeof s !== 'string') throw new TypeError(`encryption context ${what}s must be strings`);
  if (LONE_SURROGATE.test(s)) throw new RangeError(`encryption context ${what} is not well-formed Unicode`);
  const n = Buffer.byteLength(s, 'utf8');
  if (n > 0xffff) throw new RangeError(`encryption context ${what} is longer than 65535 bytes`);
  return n;
}

/**
 * Canonical serialization of an encryption context: u16 pair count, then for each pair
 * (sorted by the key's UTF-8 bytes) u16 key length, key, u16 value length, value. Length
 * prefixes make it unambiguous ({"a":"b=c"} and {"a=b":"c"} differ), sorting makes it
 * independent of property order, so one context has exactly one encoding. That encoding
 * is both stored in the envelope and authenticated as AAD, and names the cache partition.
 * It runs once per encrypted object, hence one allocation and no per-field buffers.
 */
export function canonicalizeContext(ctx: EncryptionContext): Buffer {
  const keys = Object.keys(ctx);
  if (keys.length > 0xffff) throw new RangeError('encryption context has more than 65535 pairs');
  keys.sort(compareCodePoints);
  let size = 2;
  for (const k of keys) {
    if (k.length === 0) throw new RangeError('encryption context keys must not be empty');
    size += 4 + fieldLength(k, 'key') + fieldLength(ctx[k], 'value');
  }
  const out = Buffer.allocUnsafe(size);
  let o = out.writeUInt16BE(keys.length, 0);
  for (const k of keys) {
    const v = ctx[k]!;
    const kl = out.write(k, o + 2, 'utf8');
    out.writeUInt16BE(kl, o);
    o += 2 + kl;
    const vl = out.write(v, o + 2, 'utf8');
    out.writeUInt16BE(vl, o);
    o += 2 + vl;
  }
  if (o !== size) throw new Error('encryption context size mismatch');
  return out;
}

/**
 * Decodes a canonical context, refusing anything that is not canonical (unsorted or
 * duplicate keys, empty keys, invalid UTF-8, trailing bytes): otherwise two different
 * byte strings could stand for one context and the stored bytes could disagree with
 * what the key manager is told.
 */
export function decodeCanonicalContext(buf: Buffer): EncryptionContext {
  const r = new ByteReader(buf);
  const count = r.u16('encryption context');
  const ctx: EncryptionContext = Object.create(null) as EncryptionContext;
  let prev: Buffer | null = null;
  for (let i = 0; i < count; i++) {
    const klen = r.u16('encryption context key');
    if (klen === 0) throw new EnvelopeError('malformed', 'empty encryption context key');
    const kbytes = r.buf.subarray(r.offset, r.offset + klen);
    const key = r.utf8(klen, 'encryption context key');
    if (prev !== null && Buffer.compare(prev, kbytes) >= 0) {
      throw new EnvelopeError('malformed', 'encryption context is not in canonical order');
    }
    prev = kbytes;
    ctx[key] = r.utf8(r.u16('encryption context value'), 'encryption context value');
  }
  if (r.remaining !== 0) throw new EnvelopeError('malformed', 'trailing bytes in encryption context');
  // A plain object for callers (and zod), built from the null-prototype map.
  return { ...ctx };
}

/** True when every pair of `expected` is present with the same value in `stored`. */
export function contextIncludes(stored: EncryptionContext, expected: EncryptionContext): boolean {
  for (const key of Object.keys(expected)) {
    if (!Object.prototype.hasOwnProperty.call(stored, key) || stored[key] !== expected[key]) return false;
  }
  return true;
}
