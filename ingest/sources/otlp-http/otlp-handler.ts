import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Logger } from 'pino';
import type { OtlpSignal } from '../../../lib/model/otel-attributes';
import type { TimeBounds } from '../../../lib/model/time-window';
import type { Pipeline } from '../../pipeline/pipeline';
import { ShuttingDownError, UnsupportedMediaTypeError } from '../intake-http/errors';
import type { Writer } from '../intake-http/emitter-auth';
import type { Reservation } from '../intake-http/inflight-budget';
import { readBody, type BodyLimits } from '../intake-http/read-body';
import { errorReply, type Reply } from '../intake-http/responses';
import { decodeLogsJson, decodeTracesJson } from './decode-json';
import { decodeLogsProtobuf, decodeTracesProtobuf } from './decode-protobuf';
import { OtlpDecodeError } from './errors';
import { mapRequest, type MappedRequest } from './map-request';
import { applyWriterScope } from './writer-scope';
import { OTLP_CONTENT_TYPES, exportReply, statusReply, type OtlpEncoding } from './otlp-responses';

export type OtlpHandlerContext = {
  pipeline: Pipeline;
  limits: BodyLimits;
  now: () => Date;
  timeBounds?: TimeBounds;
  logger: Logger;
  draining: () => boolean;
  /** The intake's admission: who is writing (401 without a valid token) and its rate limit (429). */
  admit: (req: IncomingMessage) => Writer;
};

/** This request's share of the intake's in-flight bytes. */
export type OtlpRequestContext = { reservation: Reservation };

/** What a request did, for the access log and the receiver's totals (never the records themselves). */
export type OtlpOutcome = Pick<MappedRequest, 'records' | 'accepted' | 'rejected' | 'dropped'> & { requestId: string };

function encodingOf(req: IncomingMessage): OtlpEncoding | null {
  const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  return type === OTLP_CONTENT_TYPES.protobuf ? 'protobuf' : type === OTLP_CONTENT_TYPES.json ? 'json' : null;
}

function gzipped(req: IncomingMessage): boolean {
  const encoding = (req.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
  if (encoding !== 'gzip' && encoding !== 'identity') throw new UnsupportedMediaTypeError(`Content-Encoding must be gzip or absent, got ${encoding.slice(0, 100)}`);
  return encoding === 'gzip';
}

const DECODERS = {
  traces: { protobuf: decodeTracesProtobuf, json: (b: Buffer) => decodeTracesJson(b.toString('utf8')) },
  logs: { protobuf: decodeLogsProtobuf, json: (b: Buffer) => decodeLogsJson(b.toString('utf8')) },
};

async function handle(signal: OtlpSignal, encoding: OtlpEncoding, req: IncomingMessage, ctx: OtlpHandlerContext & OtlpRequestContext & { writer: Writer }): Promise<Reply & { outcome: OtlpOutcome }> {
  const body = await readBody(req, gzipped(req), ctx.limits, ctx.reservation);
  const request = DECODERS[signal][encoding](body);
  const requestId = randomUUID();
  const receivedAt = ctx.now();
  const mapped = applyWriterScope(signal, mapRequest(signal, request, { requestId, receivedAt, timeBounds: ctx.timeBounds }), ctx.writer, { requestId, receivedAt });
  if (mapped.accepted + mapped.rejected > 0) {
    const receipt = await ctx.pipeline.submit(mapped.unit, { urgent: true });
    await receipt.committed;
  }
  const { records, accepted, rejected, dropped } = mapped;
  return { ...exportReply(signal, encoding, rejected, mapped.messages), outcome: { requestId, records, accepted, rejected, dropped } };
}

/**
 * POST /v1/traces | /v1/logs (OTLP/HTTP): key operations stored, invalid ones dead-lettered,
 * the rest counted and dropped; answered once the store has committed, in the request's
 * encoding. Errors keep the intake's statuses (413 past the body limits, 415, 503 while
 * draining) with a Status body; an undecodable body is a 400.
 */
export async function handleOtlp(signal: OtlpSignal, req: IncomingMessage, ctx: OtlpHandlerContext & OtlpRequestContext): Promise<Reply & { outcome?: OtlpOutcome }> {
  const encoding = encodingOf(req);
  try {
    if (ctx.draining()) throw new ShuttingDownError('the intake is shutting down');
    const writer = ctx.admit(req);
    if (encoding === null) {
      const got = (req.headers['content-type'] ?? '').slice(0, 100) || 'none';
      throw new UnsupportedMediaTypeError(`Content-Type must be ${OTLP_CONTENT_TYPES.protobuf} or ${OTLP_CONTENT_TYPES.json} (OTLP/HTTP), got ${got}`);
    }
    return await handle(signal, encoding, req, { ...ctx, writer });
  } catch (err) {
    const reply = err instanceof OtlpDecodeError ? { status: 400, body: { error: err.message } } : errorReply(err);
    if (reply.status >= 500) ctx.logger.error({ path: req.url, status: reply.status, err: (err as Error).message }, 'otlp request failed');
    return statusReply(reply, encoding ?? 'json');
  }
}
