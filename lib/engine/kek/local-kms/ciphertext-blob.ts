import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { EncryptionContext } from '../../../model/encryption-context';

/**
 * The local KMS's ciphertext blob. Like a KMS blob it is opaque to callers but names the
 * key and key material that made it, so Decrypt needs no KeyId:
 *
 *   magic "KSL" | version 1 | key id (16 bytes) | key material id (32 bytes) | IV (12) | tag (16) | ciphertext
 *
 * AES-256-GCM; the additional authenticated data is the header (magic..key material id)
 * followed by the canonical encoding of the encryption context, so a changed header byte,
 * ciphertext byte, tag byte or context entry all fail authentication.
 */

const MAGIC = Buffer.from('KSL\x01', 'latin1');
const KEY_ID_AT = 4;
const MATERIAL_AT = KEY_ID_AT + 16;
const IV_AT = MATERIAL_AT + 32;
const TAG_AT = IV_AT + 12;
const BODY_AT = TAG_AT + 16;

export interface BlobHeader {
  keyId: string;
  keyMaterialId: string;
}

function uuidToBytes(id: string): Buffer {
  return Buffer.from(id.replace(/-/g, ''), 'hex');
}

function bytesToUuid(b: Buffer): string {
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** Length-prefixed, key-sorted encoding: no two different contexts encode alike. */
export function canonicalContext(ctx: EncryptionContext): Buffer {
  const parts: Buffer[] = [];
  for (const k of Object.keys(ctx).sort()) {
    for (const s of [k, ctx[k]!]) {
      const b = Buffer.from(s, 'utf8');
      const len = Buffer.alloc(4);
      len.writeUInt32BE(b.length);
      parts.push(len, b);
    }
  }
  return Buffer.concat(parts);
}

/** The key and key material a blob claims, or null if it is not a blob of this format. */
export function parseBlobHeader(blob: Buffer): BlobHeader | null {
  if (blob.length < BODY_AT || !blob.subarray(0, MAGIC.length).equals(MAGIC)) return null;
  return {
    keyId: bytesToUuid(blob.subarray(KEY_ID_AT, MATERIAL_AT)),
    keyMaterialId: blob.subarray(MATERIAL_AT, IV_AT).toString('hex'),
  };
}

export function sealBlob(material: Buffer, header: BlobHeader, plaintext: Buffer, ctx: EncryptionContext): Buffer {
  const head = Buffer.concat([MAGIC, uuidToBytes(header.keyId), Buffer.from(header.keyMaterialId, 'hex')]);
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', material, iv);
  cipher.setAAD(Buffer.concat([head, canonicalContext(ctx)]));
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([head, iv, cipher.getAuthTag(), body]);
}

/** The plaintext, or null if the blob, its context or the key does not authenticate. */
export function openBlob(material: Buffer, blob: Buffer, ctx: EncryptionContext): Buffer | null {
  if (parseBlobHeader(blob) === null) return null;
  const decipher = createDecipheriv('aes-256-gcm', material, blob.subarray(IV_AT, TAG_AT));
  decipher.setAAD(Buffer.concat([blob.subarray(0, IV_AT), canonicalContext(ctx)]));
  decipher.setAuthTag(blob.subarray(TAG_AT, BODY_AT));
  const out = decipher.update(blob.subarray(BODY_AT));
  try {
    decipher.final();
    return out;
  } catch {
    // Unauthenticated output must not survive, even in memory.
    out.fill(0);
    return null;
  }
}
