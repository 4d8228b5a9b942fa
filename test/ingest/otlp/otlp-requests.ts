import { randomBytes } from 'node:crypto';
import { Reader } from 'protobufjs/minimal';
import root from 'otlp-transformer-protos/build/src/generated/root.js';

/** OTLP/JSON request builders for tests, and their protobuf encodings (through OpenTelemetry's generated code). */
export type Attr = string | number | boolean;

const hexId = (bytes: number) => randomBytes(bytes).toString('hex');
const nanos = (ms: number) => String(BigInt(Math.round(ms * 1000)) * 1000n);

export const anyValue = (v: Attr) =>
  typeof v === 'string' ? { stringValue: v } : typeof v === 'boolean' ? { boolValue: v } : Number.isInteger(v) ? { intValue: String(v) } : { doubleValue: v };
export const kvs = (attrs: Record<string, Attr>) => Object.entries(attrs).map(([key, v]) => ({ key, value: anyValue(v) }));

export function jsonSpan(attrs: Record<string, Attr>, o: { startMs?: number; latencyMs?: number; status?: number; traceId?: string; spanId?: string } = {}) {
  const start = o.startMs ?? Date.now() - 60_000;
  return {
    traceId: o.traceId ?? hexId(16),
    spanId: o.spanId ?? hexId(8),
    name: 'kms.unwrap',
    kind: 3,
    startTimeUnixNano: nanos(start),
    endTimeUnixNano: nanos(start + (o.latencyMs ?? 12.5)),
    attributes: kvs(attrs),
    status: { code: o.status ?? 0 },
  };
}

export const tracesRequest = <S>(resource: Record<string, Attr>, spans: S[]) => ({
  resourceSpans: [{ resource: { attributes: kvs(resource) }, scopeSpans: [{ scope: { name: 'test' }, spans }] }],
});

export function jsonLog(attrs: Record<string, Attr>, o: { timeMs?: number; body?: string } = {}) {
  return { timeUnixNano: nanos(o.timeMs ?? Date.now() - 60_000), observedTimeUnixNano: nanos(Date.now()), severityNumber: 9, severityText: 'INFO', body: { stringValue: o.body ?? 'unwrap done' }, attributes: kvs(attrs) };
}

export const logsRequest = <L>(resource: Record<string, Attr>, logRecords: L[]) => ({
  resourceLogs: [{ resource: { attributes: kvs(resource) }, scopeLogs: [{ scope: { name: 'test' }, logRecords }] }],
});

type Message = { encode(m: unknown): { finish(): Uint8Array }; decode(b: Uint8Array): unknown; fromObject(o: unknown): unknown; toObject(m: unknown, o: unknown): Record<string, unknown> };
const protos = (root as unknown as { opentelemetry: { proto: { collector: Record<'trace' | 'logs', { v1: Record<string, Message> }> } } }).opentelemetry.proto.collector;

/** OTLP/JSON's hex ids become protobuf bytes; everything else maps as protobufjs's fromObject expects. */
function hexIdsToBytes(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(hexIdsToBytes);
  if (v === null || typeof v !== 'object') return v;
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, (k === 'traceId' || k === 'spanId') && typeof x === 'string' ? Buffer.from(x, 'hex') : hexIdsToBytes(x)]));
}

export function toProtobuf(signal: 'traces' | 'logs', request: unknown): Uint8Array {
  const type = signal === 'traces' ? protos.trace.v1.ExportTraceServiceRequest! : protos.logs.v1.ExportLogsServiceRequest!;
  return type.encode(type.fromObject(hexIdsToBytes(request))).finish();
}

export function decodeResponse(signal: 'traces' | 'logs', bytes: Uint8Array): Record<string, unknown> {
  const type = signal === 'traces' ? protos.trace.v1.ExportTraceServiceResponse! : protos.logs.v1.ExportLogsServiceResponse!;
  return type.toObject(type.decode(bytes), { longs: Number });
}

/** A google.rpc.Status body (1 code, 2 message), read with protobufjs's own reader. */
export function decodeStatus(bytes: Uint8Array): { code: number; message: string } {
  const r = Reader.create(bytes);
  const out = { code: 0, message: '' };
  while (r.pos < r.len) {
    const tag = r.uint32();
    if (tag >>> 3 === 1) out.code = r.int32();
    else if (tag >>> 3 === 2) out.message = r.string();
    else r.skipType(tag & 7);
  }
  return out;
}
