import { EnvelopeError } from '../errors';

/**
 * Bounds-checked big-endian reading and writing for the envelope's binary form.
 *
 * Every read checks the remaining length first so that a truncated or lying length
 * prefix surfaces as `EnvelopeError('malformed')`, never as a RangeError or a read of
 * bytes that belong to the next field.
 */

// fatal: invalid UTF-8 is an error, not U+FFFD, so that a decoded string always
// re-encodes to the exact bytes that were stored (and authenticated).
const utf8 = new TextDecoder('utf-8', { fatal: true });

export class ByteReader {
  offset: number;

  constructor(
    readonly buf: Buffer,
    offset = 0,
  ) {
    this.offset = offset;
  }

  get remaining(): number {
    return this.buf.length - this.offset;
  }

  private need(n: number, what: string): void {
    if (n > this.remaining) throw new EnvelopeError('malformed', `envelope truncated in ${what}`);
  }

  u8(what: string): number {
    this.need(1, what);
    return this.buf[this.offset++]!;
  }

  u16(what: string): number {
    this.need(2, what);
    const v = this.buf.readUInt16BE(this.offset);
    this.offset += 2;
    return v;
  }

  u32(what: string): number {
    this.need(4, what);
    const v = this.buf.readUInt32BE(this.offset);
    this.offset += 4;
    return v;
  }

  /** u64 as a safe integer; larger values cannot describe a buffer and are malformed. */
  u64(what: string): number {
    this.need(8, what);
    const hi = this.buf.readUInt32BE(this.offset);
    const lo = this.buf.readUInt32BE(this.offset + 4);
    this.offset += 8;
    if (hi > 0x1fffff) throw new EnvelopeError('malformed', `${what} out of range`);
    return hi * 0x1_0000_0000 + lo;
  }

  /** A view into the input (no copy). */
  bytes(n: number, what: string): Buffer {
    this.need(n, what);
    const v = this.buf.subarray(this.offset, this.offset + n);
    this.offset += n;
    return v;
  }

  /** Steps over `n` bytes without making a view; returns where they start. */
  skip(n: number, what: string): number {
    this.need(n, what);
    const at = this.offset;
    this.offset += n;
    return at;
  }

  utf8(n: number, what: string): string {
    const b = this.bytes(n, what);
    try {
      return utf8.decode(b);
    } catch {
      throw new EnvelopeError('malformed', `${what} is not valid UTF-8`);
    }
  }
}

/** Writes into a preallocated buffer; the caller computed the exact size beforehand. */
export class ByteWriter {
  offset: number;

  constructor(
    readonly buf: Buffer,
    offset = 0,
  ) {
    this.offset = offset;
  }

  u8(v: number): void {
    this.buf[this.offset++] = v;
  }

  u16(v: number): void {
    this.offset = this.buf.writeUInt16BE(v, this.offset);
  }

  u32(v: number): void {
    this.offset = this.buf.writeUInt32BE(v, this.offset);
  }

  u64(v: number): void {
    this.u32(Math.floor(v / 0x1_0000_0000));
    this.u32(v >>> 0);
  }

  bytes(b: Uint8Array): void {
    this.buf.set(b, this.offset);
    this.offset += b.length;
  }
}

/** UTF-8 bytes of a string bounded by a u16 length prefix; longer input is a caller error. */
export function utf8Field(s: string, what: string): Buffer {
  const b = Buffer.from(s, 'utf8');
  if (b.length > 0xffff) throw new RangeError(`${what} is longer than 65535 bytes`);
  return b;
}
