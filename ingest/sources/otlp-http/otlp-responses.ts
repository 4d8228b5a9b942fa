// protobufjs/minimal is CommonJS: Node's ESM loader (tsx) sees only its default export.
import protobufMinimal from 'protobufjs/minimal.js';
import type { OtlpSignal } from '../../../lib/model/otel-attributes';
import type { Reply } from '../intake-http/responses';
import { LogsProtos, TraceProtos } from './otlp-protos';

/** The body encodings OTLP/HTTP defines; the answer uses the request's. */
export type OtlpEncoding = 'protobuf' | 'json';
export const OTLP_CONTENT_TYPES: Record<OtlpEncoding, string> = { protobuf: 'application/x-protobuf', json: 'application/json' };

const REJECTED_FIELD: Record<OtlpSignal, string> = { traces: 'rejectedSpans', logs: 'rejectedLogRecords' };
const RESPONSE = { traces: TraceProtos.ExportTraceServiceResponse, logs: LogsProtos.ExportLogsServiceResponse };

/** gRPC status codes for the Status body of an error (OTLP/HTTP "Failures"). */
const GRPC_CODE: Record<number, number> = { 400: 3, 401: 16, 404: 5, 405: 12, 413: 8, 415: 3, 429: 8, 500: 13, 503: 14 };

function encoded(encoding: OtlpEncoding, json: unknown, protobuf: () => Uint8Array): Pick<Reply, 'body' | 'headers'> {
  if (encoding === 'json') return { body: json, headers: { 'content-type': OTLP_CONTENT_TYPES.json } };
  return { body: Buffer.from(protobuf()), headers: { 'content-type': OTLP_CONTENT_TYPES.protobuf } };
}

/**
 * 200 with an Export*ServiceResponse: empty when everything was taken, with partialSuccess
 * (how many were rejected, and why) when some were dead-lettered. Records that are not key
 * operations are not rejections: keyscope takes what it needs from an export.
 */
export function exportReply(signal: OtlpSignal, encoding: OtlpEncoding, rejected: number, messages: string[]): Reply {
  const partialSuccess = rejected > 0 ? { [REJECTED_FIELD[signal]]: rejected, errorMessage: messages.join('; ').slice(0, 2048) } : undefined;
  // proto3 JSON writes int64 as a decimal string.
  const json = partialSuccess ? { partialSuccess: { ...partialSuccess, [REJECTED_FIELD[signal]]: String(rejected) } } : {};
  return { status: 200, ...encoded(encoding, json, () => RESPONSE[signal].encode(partialSuccess ? { partialSuccess } : {}).finish()) };
}

/** An error answer keeps its status and headers; its body becomes a google.rpc.Status in the request's encoding. */
export function statusReply(reply: Reply, encoding: OtlpEncoding): Reply {
  const body = reply.body as { error?: string };
  const message = body.error ?? 'request refused';
  const code = GRPC_CODE[reply.status] ?? 2;
  // google.rpc.Status: 1 code (int32), 2 message (string).
  const protobuf = () => protobufMinimal.Writer.create().uint32(8).int32(code).uint32(18).string(message).finish();
  const out = encoded(encoding, { code, message }, protobuf);
  return { status: reply.status, body: out.body, headers: { ...reply.headers, ...out.headers } };
}
