import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeTracesJson } from '../../../ingest/sources/otlp-http/decode-json';
import { mapRequest } from '../../../ingest/sources/otlp-http/map-request';
import { mapLogRecord, mapSpan, type MapContext } from '../../../ingest/sources/otlp-http/map-key-operation';
import type { OtlpLogRecord, OtlpSpan } from '../../../ingest/sources/otlp-http/otlp-records';

const NOW = Date.UTC(2026, 5, 1, 12, 0, 0);
const ctx: MapContext = { nowMs: NOW };
const ns = (ms: number) => BigInt(ms) * 1_000_000n;
const RESOURCE = { 'service.name': 'billing' };
const KEY = { 'keyscope.operation': 'unwrap', 'keyscope.tenant': 'acme', 'keyscope.kek': 'alias/billing' };

const span = (attributes: OtlpSpan['attributes'], o: Partial<OtlpSpan> = {}): OtlpSpan => ({
  traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', name: 'unwrap',
  startNs: ns(NOW - 5000), endNs: ns(NOW - 5000) + 1_234_567n, statusCode: 0, attributes, ...o,
});
const log = (attributes: OtlpLogRecord['attributes'], o: Partial<OtlpLogRecord> = {}): OtlpLogRecord => ({
  timeNs: ns(NOW - 1000), observedTimeNs: ns(NOW), traceId: '', spanId: '', severityNumber: 9, severityText: 'INFO', body: 'unwrapped', attributes, ...o,
});

describe('mapping spans to key operations', () => {
  it('takes time from the start, latency from end minus start in nanoseconds, service from the resource', () => {
    const r = mapSpan(span(KEY), RESOURCE, ctx);
    expect(r).toMatchObject({ kind: 'operation', operation: { time: new Date(NOW - 5000).toISOString(), latencyMs: 1.234567, service: 'billing', kekId: 'alias/billing', outcome: 'success', bytes: 0, cacheHit: null, traceId: '0af7651916cd43dd8448eb211c80319c' } });
  });

  it('gives the same id to the same span, and another to another span', () => {
    const a = mapSpan(span(KEY), RESOURCE, ctx);
    const b = mapSpan(span(KEY), RESOURCE, ctx);
    const c = mapSpan(span(KEY, { spanId: '00f067aa0ba902b7' }), RESOURCE, ctx);
    if (a.kind !== 'operation' || b.kind !== 'operation' || c.kind !== 'operation') throw new Error('expected operations');
    expect(a.operation.id).toBe(b.operation.id);
    expect(c.operation.id).not.toBe(a.operation.id);
  });

  it('ignores spans without keyscope.operation, even when the resource has keyscope attributes', () => {
    expect(mapSpan(span({ 'http.method': 'GET' }), { ...RESOURCE, 'keyscope.operation': 'unwrap' }, ctx)).toEqual({ kind: 'other' });
  });

  it('reads the other attributes from the resource when the span lacks them', () => {
    const { 'keyscope.tenant': tenant, ...rest } = KEY;
    expect(mapSpan(span(rest), { ...RESOURCE, 'keyscope.tenant': tenant }, ctx)).toMatchObject({ kind: 'operation', operation: { tenant: 'acme' } });
  });

  it('an error status is a failure, which needs an error class', () => {
    expect(mapSpan(span(KEY, { statusCode: 2 }), RESOURCE, ctx)).toEqual({ kind: 'invalid', reason: expect.stringMatching(/^keyscope\.error\.class: errorClass is required on failures/) });
    const r = mapSpan(span({ ...KEY, 'keyscope.error.class': 'throttled', 'keyscope.error.code': 'ThrottlingException' }, { statusCode: 2 }), RESOURCE, ctx);
    expect(r).toMatchObject({ kind: 'operation', operation: { outcome: 'failure', errorClass: 'throttled', errorCode: 'ThrottlingException' } });
  });

  it('names the attribute of every problem, never its value', () => {
    const r = mapSpan(span({ ...KEY, 'keyscope.operation': 'frobnicate', 'keyscope.cache.hit': 'yes', 'keyscope.bytes': 'lots', 'keyscope.outcome': 'meh' }), RESOURCE, ctx);
    expect(r.kind).toBe('invalid');
    const reason = (r as { reason: string }).reason;
    expect(reason).toContain('keyscope.cache.hit: expected a boolean, got string');
    expect(reason).toContain('keyscope.bytes: expected a number, got string');
    expect(reason).toMatch(/keyscope\.operation: Invalid option/);
    expect(reason).toMatch(/keyscope\.outcome: Invalid option/);
    expect(reason).not.toMatch(/frobnicate|yes|lots|meh/);
  });

  it('takes the KMS request id from keyscope.kms.request_id, else from aws.request_id', () => {
    expect(mapSpan(span({ ...KEY, 'aws.request_id': 'req-1' }), RESOURCE, ctx)).toMatchObject({ operation: { kmsRequestId: 'req-1' } });
    expect(mapSpan(span({ ...KEY, 'aws.request_id': 'req-1', 'keyscope.kms.request_id': 'req-2' }), RESOURCE, ctx)).toMatchObject({ operation: { kmsRequestId: 'req-2' } });
  });

  it('refuses spans without ids or times, and spans that end before they start', () => {
    expect(mapSpan(span(KEY, { traceId: '' }), RESOURCE, ctx)).toMatchObject({ kind: 'invalid', reason: expect.stringContaining('span has no trace id') });
    expect(mapSpan(span(KEY, { startNs: 0n }), RESOURCE, ctx)).toMatchObject({ kind: 'invalid', reason: expect.stringContaining('span start time: missing') });
    expect(mapSpan(span(KEY, { endNs: ns(NOW - 6000) }), RESOURCE, ctx)).toMatchObject({ kind: 'invalid', reason: expect.stringMatching(/span end - start: Too small/) });
    expect(mapSpan(span(KEY), {}, ctx)).toMatchObject({ kind: 'invalid', reason: 'service.name: required attribute is missing' });
  });
});

describe('mapping log records to key operations', () => {
  it('takes time from the record (else when observed), latency from keyscope.latency_ms, the operation id as trace id when there is none', () => {
    const r = mapLogRecord(log({ ...KEY, 'keyscope.latency_ms': 4.5 }), RESOURCE, ctx);
    if (r.kind !== 'operation') throw new Error(JSON.stringify(r));
    expect(r.operation).toMatchObject({ time: new Date(NOW - 1000).toISOString(), latencyMs: 4.5, traceId: r.operation.id });
    const observed = mapLogRecord(log({ ...KEY, 'keyscope.latency_ms': 1 }, { timeNs: 0n }), RESOURCE, ctx);
    expect(observed).toMatchObject({ operation: { time: new Date(NOW).toISOString() } });
  });

  it('needs keyscope.latency_ms, and gives a resent record the same id', () => {
    expect(mapLogRecord(log(KEY), RESOURCE, ctx)).toEqual({ kind: 'invalid', reason: 'keyscope.latency_ms: required attribute is missing' });
    const a = mapLogRecord(log({ ...KEY, 'keyscope.latency_ms': 2 }), RESOURCE, ctx);
    const b = mapLogRecord(log({ ...KEY, 'keyscope.latency_ms': 2 }), RESOURCE, ctx);
    const c = mapLogRecord(log({ ...KEY, 'keyscope.latency_ms': 2 }, { body: 'another' }), RESOURCE, ctx);
    expect((a as { operation: { id: string } }).operation.id).toBe((b as { operation: { id: string } }).operation.id);
    expect((c as { operation: { id: string } }).operation.id).not.toBe((a as { operation: { id: string } }).operation.id);
  });
});

describe('docs/otel.md', () => {
  it('its example span maps to the operation the text describes', () => {
    const md = readFileSync(new URL('../../../docs/otel.md', import.meta.url), 'utf8');
    const example = /```json\n([\s\S]*?)```/.exec(md)![1]!;
    const r = mapRequest('traces', decodeTracesJson(example), { requestId: 'r', receivedAt: new Date('2025-12-03T08:00:00Z') });
    expect(r).toMatchObject({ records: 1, accepted: 1, rejected: 0, dropped: 0 });
    expect(r.unit.keyOperations![0]).toMatchObject({
      operation: 'unwrap', service: 'billing', tenant: 'acme', time: '2025-12-03T07:00:00.000Z', latencyMs: 12.5, outcome: 'success',
      cacheHit: false, bytes: 4096, traceId: '0af7651916cd43dd8448eb211c80319c', kmsRequestId: '5d1c8f3a-1b2c-4d5e-8f90-1234567890ab',
    });
  });
});
