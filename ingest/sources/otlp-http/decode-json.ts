import { z } from 'zod';
import { OtlpDecodeError } from './errors';
import type { OtlpAttributes, OtlpLogRecord, OtlpRequest, OtlpSpan, OtlpValue } from './otlp-records';

/*
 * OTLP/JSON as the specification defines it: the protobuf JSON mapping with lowerCamelCase
 * keys, trace and span ids as hex (not base64), enums as integers, 64-bit integers as
 * decimal strings or numbers. Unknown keys are ignored, as the specification asks.
 */

const int64 = z.union([z.string().regex(/^-?\d+$/, 'expected a decimal integer'), z.number().int()]).transform((v) => BigInt(v));
const hexId = (bytes: number) =>
  z.string().regex(new RegExp(`^([0-9a-fA-F]{${bytes * 2}})?$`), `expected ${bytes} bytes as hex`).transform((s) => s.toLowerCase());

type JsonAnyValue = {
  stringValue?: string;
  boolValue?: boolean;
  intValue?: bigint;
  doubleValue?: number;
  arrayValue?: { values?: JsonAnyValue[] };
  kvlistValue?: { values?: JsonKeyValue[] };
  bytesValue?: string;
};
type JsonKeyValue = { key: string; value?: JsonAnyValue };

const AnyValue: z.ZodType<JsonAnyValue, unknown> = z.lazy(() =>
  z.object({
    stringValue: z.string().optional(),
    boolValue: z.boolean().optional(),
    intValue: int64.optional(),
    doubleValue: z.union([z.number(), z.enum(['NaN', 'Infinity', '-Infinity']).transform(Number)]).optional(),
    arrayValue: z.object({ values: z.array(AnyValue).optional() }).optional(),
    kvlistValue: z.object({ values: z.array(KeyValue).optional() }).optional(),
    bytesValue: z.string().optional(),
  }),
);
const KeyValue: z.ZodType<JsonKeyValue, unknown> = z.lazy(() => z.object({ key: z.string(), value: AnyValue.optional() }));
const Attributes = z.array(KeyValue).optional();
const Resource = z.object({ attributes: Attributes }).optional();

const Span = z.object({
  traceId: hexId(16).default(''),
  spanId: hexId(8).default(''),
  name: z.string().default(''),
  startTimeUnixNano: int64.default(0n),
  endTimeUnixNano: int64.default(0n),
  attributes: Attributes,
  status: z.object({ code: z.number().int().default(0) }).optional(),
});

const LogRecord = z.object({
  timeUnixNano: int64.default(0n),
  observedTimeUnixNano: int64.default(0n),
  traceId: hexId(16).default(''),
  spanId: hexId(8).default(''),
  severityNumber: z.number().int().default(0),
  severityText: z.string().default(''),
  body: AnyValue.optional(),
  attributes: Attributes,
});

const TracesRequest = z.object({
  resourceSpans: z.array(z.object({ resource: Resource, scopeSpans: z.array(z.object({ spans: z.array(Span).optional() })).optional() })).optional(),
});
const LogsRequest = z.object({
  resourceLogs: z.array(z.object({ resource: Resource, scopeLogs: z.array(z.object({ logRecords: z.array(LogRecord).optional() })).optional() })).optional(),
});

function value(v: JsonAnyValue | undefined): OtlpValue {
  if (v === undefined) return null;
  if (v.stringValue !== undefined) return v.stringValue;
  if (v.boolValue !== undefined) return v.boolValue;
  if (v.intValue !== undefined) return Number(v.intValue);
  if (v.doubleValue !== undefined) return v.doubleValue;
  if (v.arrayValue !== undefined) return (v.arrayValue.values ?? []).map(value);
  if (v.kvlistValue !== undefined) return attributes(v.kvlistValue.values);
  if (v.bytesValue !== undefined) return v.bytesValue;
  return null;
}

function attributes(kvs: JsonKeyValue[] | undefined): OtlpAttributes {
  const out: OtlpAttributes = {};
  for (const kv of kvs ?? []) if (kv.key) out[kv.key] = value(kv.value);
  return out;
}

function parse<S extends z.ZodType>(text: string, schema: S, what: string): z.output<S> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new OtlpDecodeError(`request body is not JSON: ${(err as Error).message}`);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new OtlpDecodeError(`request body is not an OTLP/JSON ${what}: ${issue.path.join('.') || '(body)'}: ${issue.message}`);
  }
  return parsed.data;
}

export function decodeTracesJson(text: string): OtlpRequest<OtlpSpan> {
  const req = parse(text, TracesRequest, 'ExportTraceServiceRequest');
  return (req.resourceSpans ?? []).map((rs, i) => ({
    resource: attributes(rs.resource?.attributes),
    records: (rs.scopeSpans ?? []).flatMap((ss, j) =>
      (ss.spans ?? []).map((s, k) => ({
        index: `resourceSpans[${i}].scopeSpans[${j}].spans[${k}]`,
        record: {
          traceId: s.traceId,
          spanId: s.spanId,
          name: s.name,
          startNs: s.startTimeUnixNano,
          endNs: s.endTimeUnixNano,
          statusCode: s.status?.code ?? 0,
          attributes: attributes(s.attributes),
        },
      })),
    ),
  }));
}

export function decodeLogsJson(text: string): OtlpRequest<OtlpLogRecord> {
  const req = parse(text, LogsRequest, 'ExportLogsServiceRequest');
  return (req.resourceLogs ?? []).map((rl, i) => ({
    resource: attributes(rl.resource?.attributes),
    records: (rl.scopeLogs ?? []).flatMap((sl, j) =>
      (sl.logRecords ?? []).map((l, k) => ({
        index: `resourceLogs[${i}].scopeLogs[${j}].logRecords[${k}]`,
        record: {
          timeNs: l.timeUnixNano,
          observedTimeNs: l.observedTimeUnixNano,
          traceId: l.traceId,
          spanId: l.spanId,
          severityNumber: l.severityNumber,
          severityText: l.severityText,
          body: value(l.body),
          attributes: attributes(l.attributes),
        },
      })),
    ),
  }));
}
