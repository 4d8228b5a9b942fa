import type { EncryptionContext } from '../../model/encryption-context';
import { EnvelopeError } from '../errors';
import { ByteMemo } from './byte-memo';
import { ByteReader } from './bytes';
import { decodeCanonicalContext } from './context';
import { ALGORITHMS, FORMAT_VERSION, MAGIC, type AlgorithmSuite, type ParsedEnvelope } from './format';

export type EnvelopeField =
  | 'magic' | 'formatVersion' | 'algorithm' | 'dekId' | 'encryptionContext' | 'kekId' | 'kekVersion'
  | 'wrappedDek' | 'iv' | 'ciphertextLength' | 'ciphertext' | 'tag';

type Mark = (field: EnvelopeField, start: number, end: number) => void;

/**
 * The decoded header, magic to wrapped DEK: the bytes that are the same in every message
 * under one DEK. Offsets are from the start of the envelope. While memoized, one object
 * stands for one byte string, so its identity can key caches of values derived from
 * those bytes. Shared: `encryptionContext` is copied before it is handed out, and
 * neither it nor `aad` may be modified.
 */
export interface HeaderInfo {
  readonly dekId: string;
  /** Shared between messages: read it, never modify or hand it out. */
  readonly encryptionContext: EncryptionContext;
  readonly kekId: string;
  readonly kekVersion: string | null;
  /** The canonical context is [contextAt, aadEnd); the AAD is [0, aadEnd). */
  readonly contextAt: number;
  readonly aadEnd: number;
  /** The wrapped DEK is [wrappedAt, end). */
  readonly wrappedAt: number;
  readonly end: number;
  /**
   * A private copy of the AAD, bytes [0, aadEnd): the memo matched every header byte, so
   * these are exactly the bytes of any envelope this header was found in, and opening a
   * message needs no view of them. Never to be modified.
   */
  readonly aad: Buffer;
}

/**
 * Where one message's own fields are (offsets into the envelope it was located in),
 * beside its shared header: what opening the message in place needs, with no views.
 */
export interface EnvelopeSpans {
  readonly algorithm: AlgorithmSuite;
  readonly header: HeaderInfo;
  readonly ivAt: number;
  readonly ctAt: number;
  readonly ctLength: number;
  readonly tagAt: number;
}

const MAGIC_U32 = MAGIC.readUInt32BE(0);
/** Where the DEK id starts: after magic, format version and algorithm id. */
const HEADER_AT = MAGIC.length + 1 + 2;

/**
 * Headers decoded recently, by their exact bytes (magic included, so the algorithm id is
 * part of the match). Every decrypt would otherwise decode three UTF-8 strings and the
 * canonical context (re-validating its order) and slice them out, several microseconds;
 * finding the header again costs one hash of its ends and one byte comparison. Bytes
 * that fail to decode throw and are never stored.
 */
const headers = new ByteMemo<HeaderInfo>(256);

/**
 * Reads the binary form without copying: byte fields are views into `buf`, so the
 * caller must not modify `buf` while using the result.
 */
export function decodeEnvelope(buf: Buffer): ParsedEnvelope {
  return parse(buf).envelope;
}

/** decodeEnvelope, plus its header's memo entry (for the engine's decrypt DEK cache). */
export function decodeEnvelopeAndHeader(buf: Buffer): { envelope: ParsedEnvelope; header: HeaderInfo } {
  return parse(buf);
}

/**
 * Validates the binary form exactly as decodeEnvelope does (same errors) but returns
 * offsets instead of views: the engine's decrypt hot path, which needs only the header
 * (memoized) and where IV, ciphertext and tag are. `buf` must not change while in use.
 */
export function locateEnvelope(buf: Buffer): EnvelopeSpans {
  // The common case in straight-line reads: a known header and a well-formed rest. Any
  // doubt takes the full read, which throws the error that names the fault.
  const n = buf.length;
  if (n >= HEADER_AT && buf.readUInt32BE(0) === MAGIC_U32 && buf[4] === FORMAT_VERSION) {
    const algorithm = ALGORITHMS.get(buf.readUInt16BE(5));
    const end = algorithm ? headerEnd(buf) : -1;
    const header = end < 0 ? undefined : headers.get(buf, 0, end);
    if (algorithm && header) {
      const ivAt = header.end;
      const lenAt = ivAt + algorithm.ivLength;
      const ctAt = lenAt + 8;
      const hi = ctAt <= n ? buf.readUInt32BE(lenAt) : Infinity;
      if (hi <= 0x1fffff) {
        const ctLength = hi * 0x1_0000_0000 + buf.readUInt32BE(lenAt + 4);
        const tagAt = ctAt + ctLength;
        if (tagAt + algorithm.tagLength === n) return { algorithm, header, ivAt, ctAt, ctLength, tagAt };
      }
    }
  }
  return locate(buf);
}

/** The ParsedEnvelope of a located one (views into `buf`, as decodeEnvelope gives). */
export function envelopeAt(buf: Buffer, at: EnvelopeSpans): ParsedEnvelope {
  const h = at.header;
  return {
    formatVersion: FORMAT_VERSION,
    algorithm: at.algorithm,
    kekId: h.kekId,
    kekVersion: h.kekVersion,
    dekId: h.dekId,
    wrappedDek: buf.subarray(h.wrappedAt, h.end),
    encryptionContext: { ...h.encryptionContext },
    iv: buf.subarray(at.ivAt, at.ivAt + at.algorithm.ivLength),
    tag: buf.subarray(at.tagAt, at.tagAt + at.algorithm.tagLength),
    ciphertext: buf.subarray(at.ctAt, at.ctAt + at.ctLength),
    aad: buf.subarray(0, h.aadEnd),
    canonicalContext: buf.subarray(h.contextAt, h.aadEnd),
  };
}

/** Byte ranges of each field (for tools and tamper tests). */
export function envelopeLayout(buf: Buffer): Record<EnvelopeField, { start: number; end: number }> {
  const layout: Partial<Record<EnvelopeField, { start: number; end: number }>> = {};
  parse(buf, (f, start, end) => {
    layout[f] = { start, end };
  });
  return layout as Record<EnvelopeField, { start: number; end: number }>;
}

function parse(buf: Buffer, mark?: Mark): { envelope: ParsedEnvelope; header: HeaderInfo } {
  const at = locate(buf, mark);
  return { envelope: envelopeAt(buf, at), header: at.header };
}

// Plain statements, no per-field closures: `mark` is only set by envelopeLayout, and
// closures (plus the __name wrapper tsx/esbuild adds to named ones) cost about as much
// as the rest of the parse. Fields are contiguous: each starts where the last ended (`s`).
// Only offsets are taken: a Buffer view costs more than all the checks together.
function locate(buf: Buffer, mark?: Mark): EnvelopeSpans {
  const r = new ByteReader(buf);
  let s = 0;
  const magic = r.u32('magic');
  mark?.('magic', s, (s = r.offset));
  if (magic !== MAGIC_U32) throw new EnvelopeError('malformed', 'not a keyscope envelope');
  const version = r.u8('format version');
  mark?.('formatVersion', s, (s = r.offset));
  if (version !== FORMAT_VERSION) throw new EnvelopeError('unsupported_version', `unsupported envelope format version ${version}`);
  const algId = r.u16('algorithm id');
  mark?.('algorithm', s, (s = r.offset));
  const algorithm = ALGORITHMS.get(algId);
  if (!algorithm) throw new EnvelopeError('unsupported_version', `unsupported algorithm id ${algId}`);
  // A header seen before was fully validated then; the payload part is read either way.
  const end = mark ? -1 : headerEnd(buf);
  let header = end < 0 ? undefined : headers.get(buf, 0, end);
  if (header) {
    r.offset = header.end;
  } else {
    header = readHeader(r, mark);
    if (!mark) headers.set(buf, 0, header.end, header);
  }
  s = r.offset;
  const ivAt = r.skip(algorithm.ivLength, 'IV');
  mark?.('iv', s, (s = r.offset));
  const ctLength = r.u64('ciphertext length');
  mark?.('ciphertextLength', s, (s = r.offset));
  const ctAt = r.skip(ctLength, 'ciphertext');
  mark?.('ciphertext', s, (s = r.offset));
  const tagAt = r.skip(algorithm.tagLength, 'tag');
  mark?.('tag', s, (s = r.offset));
  if (r.remaining !== 0) throw new EnvelopeError('malformed', 'trailing bytes after envelope');
  return { algorithm, header, ivAt, ctAt, ctLength, tagAt };
}

/** DEK id .. wrapped DEK, validated field by field (errors name the first bad field). */
function readHeader(r: ByteReader, mark?: Mark): HeaderInfo {
  let s = r.offset;
  const dekId = r.utf8(r.u16('DEK id'), 'DEK id');
  mark?.('dekId', s, (s = r.offset));
  if (dekId.length === 0) throw new EnvelopeError('malformed', 'empty DEK id');
  const contextLength = r.u32('encryption context');
  const contextAt = r.offset;
  const canonicalContext = r.bytes(contextLength, 'encryption context');
  mark?.('encryptionContext', s, (s = r.offset));
  const encryptionContext = decodeCanonicalContext(canonicalContext);
  const aadEnd = r.offset;
  const kekId = r.utf8(r.u16('KEK id'), 'KEK id');
  mark?.('kekId', s, (s = r.offset));
  if (kekId.length === 0) throw new EnvelopeError('malformed', 'empty KEK id');
  const flag = r.u8('KEK version');
  if (flag > 1) throw new EnvelopeError('malformed', 'bad KEK version flag');
  const kekVersion = flag === 0 ? null : r.utf8(r.u16('KEK version'), 'KEK version');
  mark?.('kekVersion', s, (s = r.offset));
  if (kekVersion === '') throw new EnvelopeError('malformed', 'empty KEK version');
  const wrappedLength = r.u16('wrapped DEK');
  const wrappedAt = r.offset;
  r.bytes(wrappedLength, 'wrapped DEK');
  mark?.('wrappedDek', s, (s = r.offset));
  if (wrappedLength === 0) throw new EnvelopeError('malformed', 'empty wrapped DEK');
  // Not from Buffer's shared pool, which the memo entry would pin.
  const aad = Buffer.allocUnsafeSlow(aadEnd);
  r.buf.copy(aad, 0, 0, aadEnd);
  return { dekId, encryptionContext, kekId, kekVersion, contextAt, aadEnd, wrappedAt, end: r.offset, aad };
}

/**
 * Where the header (DEK id .. wrapped DEK) ends, found from its length prefixes alone,
 * or -1 if they run past the buffer or the version flag is bad: the full read then
 * reports what is wrong.
 */
function headerEnd(buf: Buffer): number {
  const n = buf.length;
  let p = HEADER_AT;
  if (p + 2 > n) return -1;
  p += 2 + buf.readUInt16BE(p);
  if (p + 4 > n) return -1;
  p += 4 + buf.readUInt32BE(p);
  if (p + 2 > n) return -1;
  p += 2 + buf.readUInt16BE(p);
  if (p + 1 > n) return -1;
  const flag = buf[p++]!;
  if (flag > 1) return -1;
  if (flag === 1) {
    if (p + 2 > n) return -1;
    p += 2 + buf.readUInt16BE(p);
  }
  if (p + 2 > n) return -1;
  p += 2 + buf.readUInt16BE(p);
  return p <= n ? p : -1;
}
