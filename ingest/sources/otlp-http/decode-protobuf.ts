import { OtlpDecodeError } from './errors';
import { hex, type OtlpAttributes, type OtlpLogRecord, type OtlpRequest, type OtlpSpan, type OtlpValue } from './otlp-records';
import { LogsProtos, TraceProtos, type PbAnyValue, type PbKeyValue, type PbLong } from './otlp-protos';

const nanos = (v: PbLong): bigint => (v === null || v === undefined ? 0n : BigInt(v.toString()));

function value(v: PbAnyValue | null | undefined): OtlpValue {
  switch (v?.value) {
    case 'stringValue':
      return v.stringValue ?? '';
    case 'boolValue':
      return v.boolValue ?? false;
    case 'intValue':
      return Number(nanos(v.intValue));
    case 'doubleValue':
      return v.doubleValue ?? 0;
    case 'arrayValue':
      return (v.arrayValue?.values ?? []).map(value);
    case 'kvlistValue':
      return attributes(v.kvlistValue?.values);
    case 'bytesValue':
      return Buffer.from(v.bytesValue ?? []).toString('base64');
    default:
      return null;
  }
}

function attributes(kvs: PbKeyValue[] | null | undefined): OtlpAttributes {
  const out: OtlpAttributes = {};
  for (const kv of kvs ?? []) if (kv.key) out[kv.key] = value(kv.value);
  return out;
}

function decode<T>(bytes: Uint8Array, codec: { decode(b: Uint8Array): T }, what: string): T {
  try {
    return codec.decode(bytes);
  } catch (err) {
    throw new OtlpDecodeError(`request body is not a protobuf ${what}: ${(err as Error).message}`);
  }
}

export function decodeTracesProtobuf(bytes: Uint8Array): OtlpRequest<OtlpSpan> {
  const req = decode(bytes, TraceProtos.ExportTraceServiceRequest, 'ExportTraceServiceRequest');
  return (req.resourceSpans ?? []).map((rs, i) => ({
    resource: attributes(rs.resource?.attributes),
    records: (rs.scopeSpans ?? []).flatMap((ss, j) =>
      (ss.spans ?? []).map((s, k) => ({
        index: `resourceSpans[${i}].scopeSpans[${j}].spans[${k}]`,
        record: {
          traceId: hex(s.traceId),
          spanId: hex(s.spanId),
          name: s.name ?? '',
          startNs: nanos(s.startTimeUnixNano),
          endNs: nanos(s.endTimeUnixNano),
          statusCode: s.status?.code ?? 0,
          attributes: attributes(s.attributes),
        },
      })),
    ),
  }));
}

export function decodeLogsProtobuf(bytes: Uint8Array): OtlpRequest<OtlpLogRecord> {
  const req = decode(bytes, LogsProtos.ExportLogsServiceRequest, 'ExportLogsServiceRequest');
  return (req.resourceLogs ?? []).map((rl, i) => ({
    resource: attributes(rl.resource?.attributes),
    records: (rl.scopeLogs ?? []).flatMap((sl, j) =>
      (sl.logRecords ?? []).map((l, k) => ({
        index: `resourceLogs[${i}].scopeLogs[${j}].logRecords[${k}]`,
        record: {
          timeNs: nanos(l.timeUnixNano),
          observedTimeNs: nanos(l.observedTimeUnixNano),
          traceId: hex(l.traceId),
          spanId: hex(l.spanId),
          severityNumber: l.severityNumber ?? 0,
          severityText: l.severityText ?? '',
          body: value(l.body),
          attributes: attributes(l.attributes),
        },
      })),
    ),
  }));
}
