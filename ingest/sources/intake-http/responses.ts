import type { ServerResponse } from 'node:http';
import { PipelineClosedError, PipelineFailedError } from '../../errors';
import {
  BadGzipError, EmptyBodyError, MethodNotAllowedError, NotFoundError, PayloadTooLargeError, RequestLimitError, ShuttingDownError, TooManyRequestsError,
  UnauthorizedError, UnsupportedMediaTypeError,
} from './errors';

export type Reply = { status: number; body: unknown; headers?: Record<string, string> };

/** How long a client should wait before resending when the intake cannot store now. */
const RETRY_AFTER_S = '5';

/**
 * Every error → HTTP status, in one place (STYLE.md 12). 503s carry Retry-After: the
 * client resends (lib/model/intake-protocol.ts), and ids make the resend harmless. Anything
 * unexpected is a 500 whose body does not echo internals.
 */
export function errorReply(err: unknown): Reply {
  const message = err instanceof Error ? err.message : String(err);
  if (err instanceof UnauthorizedError) {
    return { status: 401, body: { error: message, reason: err.reason }, headers: { 'www-authenticate': 'Bearer realm="keyscope-intake"' } };
  }
  if (err instanceof TooManyRequestsError) return { status: 429, body: { error: message, limit: err.limit }, headers: { 'retry-after': String(err.retryAfterS) } };
  // Lines before a line limit were stored: `accepted` says how many (a resend is deduplicated by id).
  if (err instanceof RequestLimitError) return { status: 413, body: { accepted: err.accepted, error: message, limit: err.limit } };
  if (err instanceof PayloadTooLargeError) return { status: 413, body: { error: message } };
  if (err instanceof UnsupportedMediaTypeError) return { status: 415, body: { error: message } };
  if (err instanceof BadGzipError || err instanceof EmptyBodyError) return { status: 400, body: { accepted: 0, error: message } };
  if (err instanceof NotFoundError) return { status: 404, body: { error: message } };
  if (err instanceof MethodNotAllowedError) return { status: 405, body: { error: message }, headers: { allow: err.allow.join(', ') } };
  if (err instanceof ShuttingDownError || err instanceof PipelineClosedError || err instanceof PipelineFailedError) {
    return { status: 503, body: { error: 'the intake cannot store records now; resend later' }, headers: { 'retry-after': RETRY_AFTER_S } };
  }
  return { status: 500, body: { error: 'internal error; resend later' }, headers: { 'retry-after': RETRY_AFTER_S } };
}

export function send(res: ServerResponse, reply: Reply): void {
  if (res.headersSent || res.destroyed) return;
  // Bytes go as they are (OTLP protobuf answers set their content-type); anything else is JSON.
  const raw = reply.body instanceof Uint8Array;
  const body = raw ? (reply.body as Uint8Array) : JSON.stringify(reply.body);
  res.writeHead(reply.status, {
    'content-type': raw ? 'application/octet-stream' : 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-store',
    ...reply.headers,
  });
  res.end(body);
}
