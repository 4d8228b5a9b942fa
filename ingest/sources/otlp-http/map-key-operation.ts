import { createHash } from 'node:crypto';
import { KeyOperationSchema, type KeyOperation } from '../../../lib/model/key-operation';
import { OTEL_ATTR as A } from '../../../lib/model/otel-attributes';
import { timeProblem, type TimeBounds } from '../../../lib/model/time-window';
import { AttributeReader } from './attribute-reader';
import type { OtlpAttributes, OtlpLogRecord, OtlpSpan } from './otlp-records';

/** A span or log record is one of: not about keys (dropped), a key operation, or one that claims to be and is not valid. */
export type MapResult =
  | { kind: 'other' }
  | { kind: 'operation'; operation: KeyOperation }
  /** `valid` is the operation when only its time was refused. */
  | { kind: 'invalid'; reason: string; valid?: KeyOperation };

export type MapContext = { nowMs: number; bounds?: TimeBounds };

/** How many problems a reason lists, as for NDJSON lines (ingest/pipeline/validate-line.ts). */
const MAX_ISSUES = 5;
const STATUS_ERROR = 2;
const MAX_DATE_MS = 8.64e15;

/** A UUID (version 8, RFC 9562) from a hash: the same record sent again gets the same id. */
function stableUuid(...parts: string[]): string {
  const b = createHash('sha256').update(parts.join('\0')).digest().subarray(0, 16);
  b[6] = (b[6]! & 0x0f) | 0x80;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

function isoFromNanos(ns: bigint, what: string, problems: string[]): string | null {
  const ms = Number(ns / 1_000_000n);
  if (ns <= 0n) problems.push(`${what}: missing`);
  else if (ms > MAX_DATE_MS) problems.push(`${what}: ${ns} ns is not a representable time`);
  else return new Date(ms).toISOString();
  return null;
}

/** Which attribute or OTLP field each KeyOperation field comes from, so reasons name what the sender set. */
function sourceOf(field: string, signal: 'span' | 'log'): string {
  const names: Record<string, string> = {
    id: `${A.operationId} (or the ${signal === 'span' ? 'trace and span id' : 'record'})`,
    time: signal === 'span' ? 'span start time' : 'log record time',
    service: A.serviceName,
    tenant: A.tenant, operation: A.operation, kekId: A.kek, kekVersion: A.kekVersion, dekId: A.dekId, objectId: A.objectId,
    outcome: A.outcome, errorClass: A.errorClass, errorCode: A.errorCode, cacheHit: A.cacheHit, bytes: A.bytes,
    latencyMs: signal === 'span' ? 'span end - start' : A.latencyMs,
    traceId: 'trace id', principal: A.principal, region: A.region, accountId: A.accountId, kmsRequestId: A.kmsRequestId,
  };
  return names[field] ?? field;
}

type Common = { id: string | null; time: string | null; latencyMs: number | null; traceId: string; failed: boolean };

/** The attributes both signals share, validated with the KeyOperation schema and the time bounds of a live source. */
function finish(attrs: AttributeReader, c: Common, signal: 'span' | 'log', ctx: MapContext): MapResult {
  const errorClass = attrs.string(A.errorClass);
  const kmsRequestId = attrs.string(A.kmsRequestId) ?? attrs.string(A.awsRequestId);
  const candidate: Record<string, unknown> = {
    id: c.id,
    time: c.time,
    service: attrs.string(A.serviceName, true),
    tenant: attrs.string(A.tenant, true),
    operation: attrs.string(A.operation),
    kekId: attrs.string(A.kek, true),
    kekVersion: attrs.string(A.kekVersion),
    dekId: attrs.string(A.dekId),
    objectId: attrs.string(A.objectId),
    outcome: attrs.string(A.outcome) ?? (c.failed || errorClass !== null ? 'failure' : 'success'),
    errorClass,
    errorCode: attrs.string(A.errorCode),
    latencyMs: c.latencyMs,
    cacheHit: attrs.boolean(A.cacheHit),
    bytes: attrs.number(A.bytes) ?? 0,
    traceId: c.traceId,
    principal: attrs.string(A.principal),
    region: attrs.string(A.region),
    accountId: attrs.string(A.accountId),
    ...(kmsRequestId !== null ? { kmsRequestId } : {}),
  };
  const parsed = KeyOperationSchema.safeParse(candidate);
  if (!parsed.success || attrs.problems.length > 0) {
    // The schema's issues, less those of attributes already reported as missing or mistyped.
    const issues = parsed.success ? [] : parsed.error.issues.map((i) => `${sourceOf(String(i.path[0] ?? ''), signal)}: ${i.message}`);
    const reported = (issue: string) => attrs.problems.some((p) => p.split(':')[0] === issue.split(':')[0]);
    return { kind: 'invalid', reason: listed([...attrs.problems, ...issues.filter((i) => !reported(i))]) };
  }
  const late = timeProblem(sourceOf('time', signal), parsed.data.time, ctx.nowMs, 'live', ctx.bounds);
  return late === null ? { kind: 'operation', operation: parsed.data } : { kind: 'invalid', reason: late, valid: parsed.data };
}

function listed(problems: string[]): string {
  const more = problems.length - MAX_ISSUES;
  return problems.slice(0, MAX_ISSUES).join('; ') + (more > 0 ? `; and ${more} more` : '');
}

/** A span is a key operation when it carries keyscope.operation; its latency is end minus start. */
export function mapSpan(span: OtlpSpan, resource: OtlpAttributes, ctx: MapContext): MapResult {
  if (!Object.hasOwn(span.attributes, A.operation)) return { kind: 'other' };
  const attrs = new AttributeReader(span.attributes, resource);
  const problems = attrs.problems;
  if (span.traceId === '' || span.spanId === '') problems.push('span has no trace id or span id');
  const time = isoFromNanos(span.startNs, 'span start time', problems);
  if (span.endNs <= 0n) problems.push('span end time: missing');
  const id = attrs.string(A.operationId)?.toLowerCase() ?? stableUuid('otlp-span', span.traceId, span.spanId);
  const latencyMs = Number(span.endNs - span.startNs) / 1e6;
  return finish(attrs, { id, time, latencyMs, traceId: span.traceId, failed: span.statusCode === STATUS_ERROR }, 'span', ctx);
}

const sortedJson = (v: unknown): string =>
  JSON.stringify(v, (_k, x: unknown) =>
    x !== null && typeof x === 'object' && !Array.isArray(x) ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => (a < b ? -1 : 1))) : x,
  );

/**
 * A log record is a key operation when it carries keyscope.operation; its time is its
 * timestamp (else when it was observed) and its latency keyscope.latency_ms. Without an
 * emitter id, the id is a hash of the whole record and its resource, so a resent export
 * maps to the same ids.
 */
export function mapLogRecord(log: OtlpLogRecord, resource: OtlpAttributes, ctx: MapContext): MapResult {
  if (!Object.hasOwn(log.attributes, A.operation)) return { kind: 'other' };
  const attrs = new AttributeReader(log.attributes, resource);
  const time = isoFromNanos(log.timeNs > 0n ? log.timeNs : log.observedTimeNs, 'log record time', attrs.problems);
  const content = sortedJson({ resource, attributes: log.attributes, body: log.body, t: String(log.timeNs), o: String(log.observedTimeNs), tr: log.traceId, sp: log.spanId });
  const id = attrs.string(A.operationId)?.toLowerCase() ?? stableUuid('otlp-log', content);
  const latencyMs = attrs.number(A.latencyMs, true);
  return finish(attrs, { id, time, latencyMs, traceId: log.traceId !== '' ? log.traceId : id, failed: false }, 'log', ctx);
}
