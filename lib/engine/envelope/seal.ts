import { createCipheriv, createDecipheriv } from 'node:crypto';
import { EnvelopeError } from '../errors';
import { ByteWriter } from './bytes';
import { encodeEnvelope, headerFields, templateSizes, writeTemplate } from './binary';
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
  return { algorithm: AES_256_GCM, bytes, aadLength };
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
  const alg = t.algorithm;
  if (dek.length !== alg.keyLength) throw new RangeError('data key has the wrong length');
  const n = plaintext.length;
  if (n > alg.maxPlaintextBytes) throw new RangeError('plaintext too large for one AES-GCM message');
  const ivAt = t.bytes.length;
  const ctAt = ivAt + alg.ivLength + 8;
  const out = Buffer.allocUnsafe(ctAt + n + alg.tagLength);
  t.bytes.copy(out, 0);
  // A fresh CSPRNG IV per message: with a cached DEK this is what keeps (key, IV) unique.
  writeFreshIv(out, ivAt, alg.ivLength);
  out.writeUInt32BE(Math.floor(n / 0x1_0000_0000), ctAt - 8);
  out.writeUInt32BE(n >>> 0, ctAt - 4);
  const cipher = createCipheriv(alg.cipher, dek, out.subarray(ivAt, ivAt + alg.ivLength), { authTagLength: alg.tagLength });
  cipher.setAAD(out.subarray(0, t.aadLength));
  let o = ctAt + cipher.update(plaintext).copy(out, ctAt);
  o += cipher.final().copy(out, o);
  o += cipher.getAuthTag().copy(out, o);
  // allocUnsafe memory may hold old data: every byte must have been written.
  if (o !== out.length) throw new Error('envelope size mismatch');
  return out;
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
