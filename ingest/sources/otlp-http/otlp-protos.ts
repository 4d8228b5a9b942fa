/**
 * The OTLP protobuf messages, from OpenTelemetry's own code generated from opentelemetry-proto.
 *
 * Why this package: the current `@opentelemetry/otlp-transformer` (0.218 on) only writes
 * requests and reads responses with a hand-written codec; it cannot decode a request.
 * 0.214.0 is its last release shipping the protobufjs code generated from the official
 * .proto files (trace and logs service requests included), installed under the alias
 * `otlp-transformer-protos` so that the SDK's exporters keep their own current copy.
 * `@opentelemetry/otlp-proto-exporter-base` is deprecated and older still. OTLP v1 is
 * wire-stable, so these decoders read later exporters' requests (newer fields are skipped).
 */
import type { Writer } from 'protobufjs/minimal';
import root from 'otlp-transformer-protos/build/src/generated/root.js';

/** A protobufjs int64: a Long (as `long` is installed), a number, or null when unset. */
export type PbLong = { toString(): string } | number | null | undefined;

export type PbAnyValue = {
  value?: 'stringValue' | 'boolValue' | 'intValue' | 'doubleValue' | 'arrayValue' | 'kvlistValue' | 'bytesValue';
  stringValue?: string | null;
  boolValue?: boolean | null;
  intValue?: PbLong;
  doubleValue?: number | null;
  arrayValue?: { values?: PbAnyValue[] | null } | null;
  kvlistValue?: { values?: PbKeyValue[] | null } | null;
  bytesValue?: Uint8Array | null;
};
export type PbKeyValue = { key?: string | null; value?: PbAnyValue | null };
type PbResource = { attributes?: PbKeyValue[] | null } | null | undefined;

export type PbSpan = {
  traceId?: Uint8Array | null;
  spanId?: Uint8Array | null;
  name?: string | null;
  startTimeUnixNano?: PbLong;
  endTimeUnixNano?: PbLong;
  attributes?: PbKeyValue[] | null;
  status?: { code?: number | null } | null;
};
export type PbLogRecord = {
  timeUnixNano?: PbLong;
  observedTimeUnixNano?: PbLong;
  traceId?: Uint8Array | null;
  spanId?: Uint8Array | null;
  severityNumber?: number | null;
  severityText?: string | null;
  body?: PbAnyValue | null;
  attributes?: PbKeyValue[] | null;
};

export type PbTraceRequest = { resourceSpans?: Array<{ resource?: PbResource; scopeSpans?: Array<{ spans?: PbSpan[] | null }> | null }> | null };
export type PbLogsRequest = { resourceLogs?: Array<{ resource?: PbResource; scopeLogs?: Array<{ logRecords?: PbLogRecord[] | null }> | null }> | null };

type Codec<Req> = { decode(bytes: Uint8Array): Req };
type ResponseCodec = { encode(message: Record<string, unknown>): Writer };

type Protos = {
  opentelemetry: {
    proto: {
      collector: {
        trace: { v1: { ExportTraceServiceRequest: Codec<PbTraceRequest>; ExportTraceServiceResponse: ResponseCodec } };
        logs: { v1: { ExportLogsServiceRequest: Codec<PbLogsRequest>; ExportLogsServiceResponse: ResponseCodec } };
      };
    };
  };
};

// The generated module declares itself only as a protobufjs Root; these are the parts read here.
const collector = (root as unknown as Protos).opentelemetry.proto.collector;
export const TraceProtos = collector.trace.v1;
export const LogsProtos = collector.logs.v1;
