import { ByteWriter, utf8Field } from './bytes';
import { canonicalizeContext } from './context';
import { FORMAT_VERSION, MAGIC, type AlgorithmSuite, type Envelope } from './format';

/** Encoded header fields up to the wrapped DEK, prepared once so sizes are known before allocating. */
export interface HeaderFields {
  algorithm: AlgorithmSuite;
  dekId: Buffer;
  canonicalContext: Buffer;
  kekId: Buffer;
  kekVersion: Buffer | null;
  wrappedDek: Buffer;
}

export function headerFields(
  e: Pick<Envelope, 'algorithm' | 'dekId' | 'kekId' | 'kekVersion' | 'wrappedDek'>,
  canonicalContext: Buffer,
): HeaderFields {
  if (e.dekId.length === 0 || e.kekId.length === 0) throw new RangeError('DEK id and KEK id must not be empty');
  if (e.kekVersion === '') throw new RangeError('KEK version must be null or non-empty');
  if (e.wrappedDek.length === 0 || e.wrappedDek.length > 0xffff) throw new RangeError('wrapped DEK must be 1..65535 bytes');
  return {
    algorithm: e.algorithm,
    dekId: utf8Field(e.dekId, 'DEK id'),
    canonicalContext,
    kekId: utf8Field(e.kekId, 'KEK id'),
    kekVersion: e.kekVersion === null ? null : utf8Field(e.kekVersion, 'KEK version'),
    wrappedDek: e.wrappedDek,
  };
}

/**
 * Sizes of the authenticated prefix and of the whole fixed part (magic to wrapped DEK):
 * the part that is identical for every message under one DEK and encryption context.
 */
export function templateSizes(h: HeaderFields): { aadLength: number; templateLength: number } {
  const aadLength = MAGIC.length + 1 + 2 + 2 + h.dekId.length + 4 + h.canonicalContext.length;
  const keyBlock = 2 + h.kekId.length + 1 + (h.kekVersion ? 2 + h.kekVersion.length : 0) + 2 + h.wrappedDek.length;
  return { aadLength, templateLength: aadLength + keyBlock };
}

function writeAad(w: ByteWriter, h: HeaderFields): void {
  w.bytes(MAGIC);
  w.u8(FORMAT_VERSION);
  w.u16(h.algorithm.id);
  w.u16(h.dekId.length);
  w.bytes(h.dekId);
  w.u32(h.canonicalContext.length);
  w.bytes(h.canonicalContext);
}

/** The authenticated prefix on its own (for envelopes that did not come from the binary form). */
export function encodeAad(h: HeaderFields): Buffer {
  const out = Buffer.allocUnsafe(templateSizes(h).aadLength);
  writeAad(new ByteWriter(out), h);
  return out;
}

/** Writes magic .. wrapped DEK at `w`'s offset. */
export function writeTemplate(w: ByteWriter, h: HeaderFields): void {
  writeAad(w, h);
  w.u16(h.kekId.length);
  w.bytes(h.kekId);
  if (h.kekVersion) {
    w.u8(1);
    w.u16(h.kekVersion.length);
    w.bytes(h.kekVersion);
  } else {
    w.u8(0);
  }
  w.u16(h.wrappedDek.length);
  w.bytes(h.wrappedDek);
}

/** The binary form of a complete envelope (JSON to binary, and rewrap). */
export function encodeEnvelope(e: Envelope, canonicalContext = canonicalizeContext(e.encryptionContext)): Buffer {
  if (e.iv.length !== e.algorithm.ivLength) throw new RangeError('IV length does not match the algorithm');
  if (e.tag.length !== e.algorithm.tagLength) throw new RangeError('tag length does not match the algorithm');
  const h = headerFields(e, canonicalContext);
  const { templateLength } = templateSizes(h);
  const out = Buffer.allocUnsafe(templateLength + e.iv.length + 8 + e.ciphertext.length + e.tag.length);
  const w = new ByteWriter(out);
  writeTemplate(w, h);
  w.bytes(e.iv);
  w.u64(e.ciphertext.length);
  w.bytes(e.ciphertext);
  w.bytes(e.tag);
  if (w.offset !== out.length) throw new Error('envelope size mismatch');
  return out;
}

export { decodeEnvelope, envelopeLayout, type EnvelopeField } from './decode';
