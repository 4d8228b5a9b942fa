import { EnvelopeError } from '../errors';
import { ByteReader, ByteWriter, utf8Field } from './bytes';
import { canonicalizeContext, decodeCanonicalContext } from './context';
import { ALGORITHMS, FORMAT_VERSION, MAGIC, type AlgorithmSuite, type Envelope, type ParsedEnvelope } from './format';

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

export type EnvelopeField =
  | 'magic' | 'formatVersion' | 'algorithm' | 'dekId' | 'encryptionContext' | 'kekId' | 'kekVersion'
  | 'wrappedDek' | 'iv' | 'ciphertextLength' | 'ciphertext' | 'tag';

type Mark = (field: EnvelopeField, start: number, end: number) => void;

function parse(buf: Buffer, mark?: Mark): ParsedEnvelope {
  const r = new ByteReader(buf);
  const field = <T>(name: EnvelopeField, read: () => T): T => {
    const start = r.offset;
    const v = read();
    mark?.(name, start, r.offset);
    return v;
  };
  const magic = field('magic', () => r.bytes(MAGIC.length, 'magic'));
  if (!magic.equals(MAGIC)) throw new EnvelopeError('malformed', 'not a keyscope envelope');
  const version = field('formatVersion', () => r.u8('format version'));
  if (version !== FORMAT_VERSION) throw new EnvelopeError('unsupported_version', `unsupported envelope format version ${version}`);
  const algId = field('algorithm', () => r.u16('algorithm id'));
  const algorithm = ALGORITHMS.get(algId);
  if (!algorithm) throw new EnvelopeError('unsupported_version', `unsupported algorithm id ${algId}`);
  const dekId = field('dekId', () => r.utf8(r.u16('DEK id'), 'DEK id'));
  if (dekId.length === 0) throw new EnvelopeError('malformed', 'empty DEK id');
  const canonicalContext = field('encryptionContext', () => r.bytes(r.u32('encryption context'), 'encryption context'));
  const encryptionContext = decodeCanonicalContext(canonicalContext);
  const aad = buf.subarray(0, r.offset);
  const kekId = field('kekId', () => r.utf8(r.u16('KEK id'), 'KEK id'));
  if (kekId.length === 0) throw new EnvelopeError('malformed', 'empty KEK id');
  const kekVersion = field('kekVersion', () => {
    const flag = r.u8('KEK version');
    if (flag > 1) throw new EnvelopeError('malformed', 'bad KEK version flag');
    return flag === 0 ? null : r.utf8(r.u16('KEK version'), 'KEK version');
  });
  if (kekVersion === '') throw new EnvelopeError('malformed', 'empty KEK version');
  const wrappedDek = field('wrappedDek', () => r.bytes(r.u16('wrapped DEK'), 'wrapped DEK'));
  if (wrappedDek.length === 0) throw new EnvelopeError('malformed', 'empty wrapped DEK');
  const iv = field('iv', () => r.bytes(algorithm.ivLength, 'IV'));
  const ctLength = field('ciphertextLength', () => r.u64('ciphertext length'));
  const ciphertext = field('ciphertext', () => r.bytes(ctLength, 'ciphertext'));
  const tag = field('tag', () => r.bytes(algorithm.tagLength, 'tag'));
  if (r.remaining !== 0) throw new EnvelopeError('malformed', 'trailing bytes after envelope');
  return {
    formatVersion: FORMAT_VERSION,
    algorithm,
    kekId,
    kekVersion,
    dekId,
    wrappedDek,
    encryptionContext,
    iv,
    tag,
    ciphertext,
    aad,
    canonicalContext,
  };
}

/**
 * Reads the binary form without copying: byte fields are views into `buf`, so the
 * caller must not modify `buf` while using the result.
 */
export function decodeEnvelope(buf: Buffer): ParsedEnvelope {
  return parse(buf);
}

/** Byte ranges of each field (for tools and tamper tests). */
export function envelopeLayout(buf: Buffer): Record<EnvelopeField, { start: number; end: number }> {
  const layout: Partial<Record<EnvelopeField, { start: number; end: number }>> = {};
  parse(buf, (f, start, end) => {
    layout[f] = { start, end };
  });
  return layout as Record<EnvelopeField, { start: number; end: number }>;
}
