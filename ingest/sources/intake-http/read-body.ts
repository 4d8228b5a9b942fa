import type { IncomingMessage } from 'node:http';
import { promisify } from 'node:util';
import { gunzip as gunzipCb } from 'node:zlib';
import { BadGzipError, PayloadTooLargeError, UnsupportedMediaTypeError } from './errors';
import { NDJSON_CONTENT_TYPE } from '../../../lib/model/intake-protocol';

const gunzip = promisify(gunzipCb);

export type BodyLimits = { maxBodyBytes: number; maxDecompressedBytes: number };

/**
 * Past the limit, the rest of a body is read and thrown away up to this many bytes, so the
 * client (which is still sending) reads our 413 and splits its batch; beyond it the
 * connection is cut.
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

/**
 * Reads a request body within the limits: the bytes sent (413 past maxBodyBytes, known
 * from Content-Length before reading when declared) and, for gzip, the bytes it inflates to
 * (413 past maxDecompressedBytes: a gzip bomb stops there). A body that is not gzip
 * although it says so is a 400.
 */
export async function readBody(req: IncomingMessage, gzip: boolean, limits: BodyLimits): Promise<Buffer> {
  const tooLarge = () =>
    new PayloadTooLargeError(`request body exceeds ${limits.maxBodyBytes} bytes (KEYSCOPE_INTAKE_MAX_BODY_BYTES); send smaller batches`);
  const declared = Number(req.headers['content-length']);
  const chunks: Buffer[] = [];
  let size = 0;
  let over = Number.isFinite(declared) && declared > limits.maxBodyBytes;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limits.maxBodyBytes) over = true;
    if (over) {
      chunks.length = 0;
      if (size > limits.maxBodyBytes + DRAIN_BYTES) {
        req.socket.destroy();
        throw tooLarge();
      }
      continue;
    }
    chunks.push(chunk);
  }
  if (over) throw tooLarge();
  const raw = Buffer.concat(chunks, size);
  if (!gzip) return raw;
  try {
    return await gunzip(raw, { maxOutputLength: limits.maxDecompressedBytes });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
      throw new PayloadTooLargeError(
        `request body inflates past ${limits.maxDecompressedBytes} bytes (KEYSCOPE_INTAKE_MAX_DECOMPRESSED_BYTES); send smaller batches`,
      );
    }
    throw new BadGzipError(`request body is not valid gzip although Content-Encoding is gzip: ${(err as Error).message}`);
  }
}
