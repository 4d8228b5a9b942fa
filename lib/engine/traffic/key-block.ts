import { decodeEnvelope, encodeEnvelope } from '../envelope/binary';

/**
 * The envelope with its payload left out: what a rewrap job or an attacker holding the
 * object index needs (KEK id and version, wrapped DEK, context), at a few hundred bytes
 * per object instead of the object's size. Never opened: its tag belongs to the payload.
 */
export function keyBlockOnly(envelope: Buffer): Buffer {
  const parsed = decodeEnvelope(envelope);
  return encodeEnvelope({ ...parsed, ciphertext: Buffer.alloc(0) }, parsed.canonicalContext);
}
