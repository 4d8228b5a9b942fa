import { createCipheriv, createDecipheriv } from 'node:crypto';
import { EnvelopeError } from '../errors';
import { ByteWriter } from './bytes';
import { encodeEnvelope, headerFields, templateSizes, writeTemplate } from './binary';
import type { EnvelopeSpans } from './decode';
import { AES_256_GCM, type AlgorithmSuite, type KeyBlock, type ParsedEnvelope } from './format';
import { writeFreshIv } from './iv';

/**
 * The part of a header that is the same for every message sealed under one DEK and
 * encryption context (magic .. wrapped DEK). A cached DEK builds it once, so sealing a
 * message writes it with one copy instead of re-encoding five fields.
 */
export interface HeaderTemplate {
  readonly algorithm: AlgorithmSuite;
  readonly bytes: Buffer;
  /** The first `aadLength` bytes are the payload's AAD. */
  readonly aadLength: number;
  /** bytes[0, aadLength), made once: every message under the template has this AAD. */
  readonly aad: Buffer;
}

export function createHeaderTemplate(f: {
  dekId: string;
  kekId: string;
  kekVersion: string | null;
  wrappedDek: Buffer;
  /** From canonicalizeContext. */
  canonicalContext: Buffer;
}): HeaderTemplate {
  const h = headerFields({ algorithm: AES_256_GCM, dekId: f.dekId, kekId: f.kekId, kekVersion: f.kekVersion, wrappedDek: f.wrappedDek }, f.canonicalContext);
  const { aadLength, templateLength } = templateSizes(h);
  const bytes = Buffer.alloc(templateLength);
  writeTemplate(new ByteWriter(bytes), h);
  return { algorithm: AES_256_GCM, bytes, aadLength, aad: bytes.subarray(0, aadLength) };
}

/**
 * Where a message's ciphertext starts under `t` (after the template, the IV and the
 * 8-byte length), once the key and the plaintext are known to fit the algorithm.
 */
function checkedCiphertextAt(t: HeaderTemplate, dek: Buffer, plaintext: Buffer): number {
  const alg = t.algorithm;
  if (dek.length !== alg.keyLength) throw new RangeError('data key has the wrong length');
  if (plaintext.length > alg.maxPlaintextBytes) throw new RangeError('plaintext too large for one AES-GCM message');
  return t.bytes.length + alg.ivLength + 8;
}

/**
 * Writes a message's header into out[0, checkedCiphertextAt): the template, a fresh IV
 * and the ciphertext length `n`; returns the cipher for it, its AAD set.
 */
function startMessage(t: HeaderTemplate, dek: Buffer, out: Buffer, n: number) {
  const alg = t.algorithm;
  const ivAt = t.bytes.length;
  const ctAt = ivAt + alg.ivLength + 8;
  t.bytes.copy(out, 0);
  // A fresh CSPRNG IV per message: with a cached DEK this is what keeps (key, IV) unique.
  writeFreshIv(out, ivAt, alg.ivLength);
  out.writeUInt32BE(Math.floor(n / 0x1_0000_0000), ctAt - 8);
  out.writeUInt32BE(n >>> 0, ctAt - 4);
  const cipher = createCipheriv(alg.cipher, dek, out.subarray(ivAt, ivAt + alg.ivLength), { authTagLength: alg.tagLength });
  cipher.setAAD(t.aad);
  return cipher;
}

/**
 * Encrypts one message into the binary envelope under `dek` (which the caller owns and
 * zeroes).
 *
 * The output is allocated once at its final size and the header written into it, so the
 * payload is copied exactly once after the cipher (Node's cipher cannot write into a
 * caller's buffer); the IV and the AAD are views of that header, not separate buffers.
 */
export function sealEnvelope(t: HeaderTemplate, dek: Buffer, plaintext: Buffer): Buffer {
  const ctAt = checkedCiphertextAt(t, dek, plaintext);
  const out = Buffer.allocUnsafe(ctAt + plaintext.length + t.algorithm.tagLength);
  const cipher = startMessage(t, dek, out, plaintext.length);
  let o = ctAt + cipher.update(plaintext).copy(out, ctAt);
  o += cipher.final().copy(out, o);
  o += cipher.getAuthTag().copy(out, o);
  // allocUnsafe memory may hold old data: every byte must have been written.
  if (o !== out.length) throw new Error('envelope size mismatch');
  return out;
}

/**
 * sealEnvelope without the copy: the same envelope bytes, returned as the pieces the
 * cipher produced, for callers that write with writev, a stream or a multipart upload.
 * `Buffer.concat(parts)` is exactly what sealEnvelope would have returned for the same IV.
 *
 * parts[0] is a fresh buffer with the header, IV and ciphertext length (a few hundred
 * bytes), then the cipher's own output buffers, then the tag. Node's cipher allocates
 * its output, so joining it to the header means a second buffer of the payload's size
 * and a copy into it: at 64 KiB and up, fresh memory being faulted in, that copy costs a
 * third to a half of the AES work itself. Here nothing the size of the payload is
 * allocated beyond what the cipher allocates.
 */
export function sealEnvelopeParts(t: HeaderTemplate, dek: Buffer, plaintext: Buffer): Buffer[] {
  const alg = t.algorithm;
  const n = plaintext.length;
  // Small: from Buffer's pool, as any small Buffer a caller gets.
  const head = Buffer.allocUnsafe(checkedCiphertextAt(t, dek, plaintext));
  const cipher = startMessage(t, dek, head, n);
  const ct = cipher.update(plaintext);
  const fin = cipher.final();
  const tag = cipher.getAuthTag();
  if (ct.length + fin.length !== n || tag.length !== alg.tagLength) throw new Error('envelope size mismatch');
  // GCM is a stream mode: final() has nothing left to give.
  return fin.length === 0 ? [head, ct, tag] : [head, ct, fin, tag];
}

/**
 * Decrypts and authenticates a message. The plaintext is returned only after
 * `final()` has verified the tag; on failure the unverified output is zeroed and
 * nothing is returned.
 */
export function openEnvelope(env: ParsedEnvelope, dek: Buffer): Buffer {
  const alg = env.algorithm;
  if (dek.length !== alg.keyLength) throw new EnvelopeError('authentication_failed', 'data key has the wrong length');
  const decipher = createDecipheriv(alg.cipher, dek, env.iv, { authTagLength: alg.tagLength });
  decipher.setAAD(env.aad);
  decipher.setAuthTag(env.tag);
  const plaintext = decipher.update(env.ciphertext);
  try {
    if (decipher.final().length !== 0) throw new Error('unexpected trailing GCM output');
  } catch {
    plaintext.fill(0);
    throw new EnvelopeError('authentication_failed', `message under DEK ${env.dekId} failed authentication`);
  }
  return plaintext;
}

/** Reused inputs of openEnvelopeAt, by length (see there). */
const ivScratch: Buffer[] = [];
const tagScratch: Buffer[] = [];

function scratchCopy(pool: Buffer[], src: Buffer, at: number, n: number): Buffer {
  const b = (pool[n] ??= Buffer.alloc(n));
  for (let i = 0; i < n; i++) b[i] = src[at + i]!;
  return b;
}

/**
 * openEnvelope for a located envelope (locateEnvelope), reading the message in place:
 * the ciphertext is the only view made; the AAD is the header's private copy (the same
 * bytes, matched in full when the header was found), and IV and tag are copied into
 * reused buffers, which is safe because createDecipheriv and setAuthTag copy what they
 * are given before returning and nothing here awaits. The same checks, errors and
 * all-or-nothing plaintext as openEnvelope.
 */
export function openEnvelopeAt(buf: Buffer, at: EnvelopeSpans, dek: Buffer): Buffer {
  const alg = at.algorithm;
  if (dek.length !== alg.keyLength) throw new EnvelopeError('authentication_failed', 'data key has the wrong length');
  const decipher = createDecipheriv(alg.cipher, dek, scratchCopy(ivScratch, buf, at.ivAt, alg.ivLength), { authTagLength: alg.tagLength });
  decipher.setAAD(at.header.aad);
  decipher.setAuthTag(scratchCopy(tagScratch, buf, at.tagAt, alg.tagLength));
  const plaintext = decipher.update(buf.subarray(at.ctAt, at.ctAt + at.ctLength));
  try {
    if (decipher.final().length !== 0) throw new Error('unexpected trailing GCM output');
  } catch {
    plaintext.fill(0);
    throw new EnvelopeError('authentication_failed', `message under DEK ${at.header.dekId} failed authentication`);
  }
  return plaintext;
}

/**
 * A new binary envelope with another key block (KEK id, version, wrapped DEK) and the
 * same IV, ciphertext and tag: the payload AAD does not cover the key block (see
 * format.ts), so a rewrap needs neither the plaintext DEK nor the payload.
 */
export function rewrapEnvelope(env: ParsedEnvelope, keyBlock: KeyBlock): Buffer {
  return encodeEnvelope(
    { ...env, kekId: keyBlock.kekId, kekVersion: keyBlock.kekVersion, wrappedDek: keyBlock.wrappedDek },
    env.canonicalContext,
  );
}
