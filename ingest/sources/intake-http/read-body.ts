import type { IncomingMessage } from 'node:http';
import { PassThrough, type Transform } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { BadGzipError, ClientGoneError, IntakeRequestError, PayloadTooLargeError, UnsupportedMediaTypeError } from './errors';
import type { Reservation } from './inflight-budget';
import { NDJSON_CONTENT_TYPE } from '../../../lib/model/intake-protocol';

export type BodyLimits = {
  maxBodyBytes: number;
  maxDecompressedBytes: number;
  /** NDJSON only: longest line, and most lines in one request (defaults in lib/config.ts). */
  maxLineBytes?: number;
  maxLines?: number;
};

/**
 * Past a limit, the rest of a body is read and thrown away up to this many bytes, so the
 * client (which is still sending) reads our answer; beyond it the connection is cut.
 */
const DRAIN_BYTES = 64 * 1024 * 1024;

/** Checks Content-Type (NDJSON, any parameters) and Content-Encoding (gzip or none). */
export function checkNdjsonHeaders(req: IncomingMessage): { gzip: boolean } {
  const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== NDJSON_CONTENT_TYPE) {
    throw new UnsupportedMediaTypeError(`Content-Type must be ${NDJSON_CONTENT_TYPE} (one JSON record per line), got ${type === '' ? 'none' : type.slice(0, 100)}`);
  }
  const encoding = (req.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
  if (encoding !== 'gzip' && encoding !== 'identity') {
    throw new UnsupportedMediaTypeError(`Content-Encoding must be gzip or absent, got ${encoding.slice(0, 100)}`);
  }
  return { gzip: encoding === 'gzip' };
}

const tooLarge = (limits: BodyLimits) =>
  new PayloadTooLargeError(`request body exceeds ${limits.maxBodyBytes} bytes (KEYSCOPE_INTAKE_MAX_BODY_BYTES); send smaller batches`);

/**
 * The body as it arrives, inflated when gzip, in chunks of at most zlib's 16 KiB: never
 * the whole body. Limits: bytes sent (413 past maxBodyBytes, known from Content-Length
 * before reading when declared), bytes inflated (413 past maxDecompressedBytes: a gzip
 * bomb stops there), and every inflated chunk is taken from the in-flight budget (429).
 * A body that is not gzip although it says so is a 400. The request itself is never
 * destroyed here, so an answer can still be sent (drainRequest after an error).
 */
export async function* bodyChunks(req: IncomingMessage, gzip: boolean, limits: BodyLimits, reservation: Reservation): AsyncGenerator<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limits.maxBodyBytes) throw tooLarge(limits);
  const out: Transform = gzip ? createGunzip() : new PassThrough();
  let sent = 0;
  const onData = (chunk: Buffer) => {
    sent += chunk.length;
    if (sent > limits.maxBodyBytes) {
      req.unpipe(out);
      out.destroy(tooLarge(limits));
    }
  };
  const onClose = () => {
    if (!req.complete) out.destroy(new ClientGoneError('the client closed the connection before its body ended'));
  };
  req.on('data', onData);
  req.on('close', onClose);
  req.pipe(out);
  let inflated = 0;
  try {
    for await (const chunk of out as AsyncIterable<Buffer>) {
      inflated += chunk.length;
      if (inflated > limits.maxDecompressedBytes) {
        throw new PayloadTooLargeError(
          `request body inflates past ${limits.maxDecompressedBytes} bytes (KEYSCOPE_INTAKE_MAX_DECOMPRESSED_BYTES); send smaller batches`,
        );
      }
      reservation.take(chunk.length);
      yield chunk;
    }
  } catch (err) {
    if (err instanceof IntakeRequestError) throw err;
    throw new BadGzipError(`request body is not valid gzip although Content-Encoding is gzip: ${(err as Error).message}`);
  } finally {
    req.off('data', onData);
    req.off('close', onClose);
    req.unpipe(out);
    out.destroy();
  }
}

/** The whole (inflated) body, for formats that cannot be read line by line (OTLP protobuf and JSON). */
export async function readBody(req: IncomingMessage, gzip: boolean, limits: BodyLimits, reservation: Reservation): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of bodyChunks(req, gzip, limits, reservation)) chunks.push(chunk);
  return Buffer.concat(chunks);
}

/**
 * After an error answer is decided: reads what is left of the body and throws it away
 * (never inflating it), so the client reads the answer; a body too long to drain is cut.
 */
export async function drainRequest(req: IncomingMessage): Promise<void> {
  if (req.complete || req.destroyed) return;
  await new Promise<void>((resolve) => {
    let drained = 0;
    const done = () => {
      req.off('data', onData);
      resolve();
    };
    const onData = (chunk: Buffer) => {
      drained += chunk.length;
      if (drained > DRAIN_BYTES) {
        req.socket.destroy();
        done();
      }
    };
    req.on('data', onData);
    req.once('end', done);
    req.once('close', done);
    req.resume();
  });
}
