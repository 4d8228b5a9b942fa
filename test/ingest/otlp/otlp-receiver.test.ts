import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { countRows, deadLetters } from '../support/db';
import { startOtlpIntake, storedOperations, type OtlpHarness } from './otlp-harness';
import { decodeResponse, decodeStatus, jsonLog, jsonSpan, logsRequest, toProtobuf, tracesRequest } from './otlp-requests';

const JSON_TYPE = { 'content-type': 'application/json' };
const PROTOBUF = { 'content-type': 'application/x-protobuf' };
const KEK = 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const RESOURCE = { 'service.name': 'billing', 'cloud.region': 'us-east-1', 'cloud.account.id': '111122223333' };
const unwrap = { 'keyscope.operation': 'unwrap', 'keyscope.tenant': 'acme', 'keyscope.kek': KEK, 'keyscope.dek.id': 'dek-1', 'keyscope.bytes': 4096, 'keyscope.cache.hit': false };
const SECRET = 'c2VjcmV0LXBsYWludGV4dC1kZWstbWF0ZXJpYWwtMzI=';

let intake: OtlpHarness;
beforeEach(async () => {
  intake = await startOtlpIntake({ maxBodyBytes: 64 * 1024, maxDecompressedBytes: 256 * 1024 });
});
afterEach(async () => {
  await intake.close();
});

/** One key span, one span that is not about keys, one that claims to be a key operation and is invalid (and carries a planted secret). */
const mixed = () =>
  tracesRequest(RESOURCE, [
    jsonSpan(unwrap, { latencyMs: 7.25 }),
    jsonSpan({ 'http.route': '/invoices' }),
    jsonSpan({ 'keyscope.operation': 'unwrap', 'keyscope.kek': KEK, 'debug.dek': SECRET }, { status: 2 }),
  ]);

describe('OTLP/HTTP receiver: /v1/traces', () => {
  it('JSON: stores the key span, drops the other, dead-letters the invalid one and answers partialSuccess', async () => {
    const request = mixed();
    const res = await intake.post('/v1/traces', JSON.stringify(request), JSON_TYPE);
    expect(res.status).toBe(200);
    expect(res.type).toMatch(/^application\/json/);
    const body = JSON.parse(res.bytes.toString()) as { partialSuccess: { rejectedSpans: string; errorMessage: string } };
    expect(body.partialSuccess.rejectedSpans).toBe('1');
    expect(body.partialSuccess.errorMessage).toMatch(/spans\[2\]: keyscope\.tenant: required attribute is missing/);

    const [op] = storedOperations(intake.dbPath);
    expect(op).toMatchObject({ service: 'billing', tenant: 'acme', operation: 'unwrap', kekId: KEK, dekId: 'dek-1', outcome: 'success', bytes: 4096, cacheHit: false, region: 'us-east-1', accountId: '111122223333' });
    expect(op!.latencyMs).toBeCloseTo(7.25, 6);
    expect(op!.traceId).toBe(request.resourceSpans[0]!.scopeSpans[0]!.spans[0]!.traceId);
    expect(countRows(intake.dbPath, 'key_operations')).toBe(1);
    expect(intake.server.otlpTotals.traces).toEqual({ requests: 1, records: 3, accepted: 1, rejected: 1, dropped: 1 });

    const [dl] = deadLetters(intake.dbPath);
    expect(dl!.source).toBe('otlp-http');
    expect(dl!.location).toMatch(/^POST \/v1\/traces request [0-9a-f-]{36} resourceSpans\[0\]\.scopeSpans\[0\]\.spans\[2\]$/);
    expect(dl!.reason).toMatch(/keyscope\.tenant: required attribute is missing/);
    // Attribute names, not values: the planted secret is nowhere in the store.
    expect(JSON.parse(dl!.payload)).toMatchObject({ service: 'billing', attributes: ['keyscope.operation', 'keyscope.kek', 'debug.dek'] });
    expect(JSON.stringify(dl)).not.toContain(SECRET);
  });

  it('protobuf with gzip: the same, answered in protobuf', async () => {
    const res = await intake.post('/v1/traces', gzipSync(toProtobuf('traces', mixed())), { ...PROTOBUF, 'content-encoding': 'gzip' });
    expect(res.status).toBe(200);
    expect(res.type).toBe('application/x-protobuf');
    const body = decodeResponse('traces', res.bytes) as { partialSuccess: { rejectedSpans: number; errorMessage: string } };
    expect(body.partialSuccess.rejectedSpans).toBe(1);
    expect(body.partialSuccess.errorMessage).toMatch(/keyscope\.tenant/);
    expect(countRows(intake.dbPath, 'key_operations')).toBe(1);
    expect(countRows(intake.dbPath, 'dead_letters')).toBe(1);
  });

  it('answers an export that is all taken with an empty response', async () => {
    const req = tracesRequest(RESOURCE, [jsonSpan(unwrap), jsonSpan({ 'db.system': 'postgresql' })]);
    const pb = await intake.post('/v1/traces', toProtobuf('traces', req), PROTOBUF);
    expect(pb.status).toBe(200);
    expect(pb.bytes.length).toBe(0);
    const json = await intake.post('/v1/traces', JSON.stringify(tracesRequest(RESOURCE, [jsonSpan(unwrap)])), JSON_TYPE);
    expect(JSON.parse(json.bytes.toString())).toEqual({});
    expect((await intake.post('/v1/traces', new Uint8Array(0), PROTOBUF)).status).toBe(200);
    expect(countRows(intake.dbPath, 'key_operations')).toBe(2);
    expect(intake.server.otlpTotals.traces.dropped).toBe(1);
  });

  it('stores nothing new when an export is sent again, dead letters included', async () => {
    const body = JSON.stringify(mixed());
    await intake.post('/v1/traces', body, JSON_TYPE);
    const again = await intake.post('/v1/traces', body, JSON_TYPE);
    expect(again.status).toBe(200);
    await intake.post('/v1/traces', toProtobuf('traces', JSON.parse(body)), PROTOBUF);
    expect(countRows(intake.dbPath, 'key_operations')).toBe(1);
    expect(countRows(intake.dbPath, 'dead_letters')).toBe(1);
  });

  it('derives the id from trace and span id, or takes keyscope.operation.id', async () => {
    const span = jsonSpan(unwrap, { traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331' });
    const own = jsonSpan({ ...unwrap, 'keyscope.operation.id': '6F9619FF-8B86-4D01-B42D-00C04FC964FF' });
    await intake.post('/v1/traces', JSON.stringify(tracesRequest(RESOURCE, [span, own])), JSON_TYPE);
    const ids = storedOperations(intake.dbPath).map((o) => o.id);
    expect(ids).toContain('6f9619ff-8b86-4d01-b42d-00c04fc964ff');
    const derived = ids.find((id) => id !== '6f9619ff-8b86-4d01-b42d-00c04fc964ff')!;
    expect(derived).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(storedOperations(intake.dbPath).find((o) => o.id === derived)!.traceId).toBe('0af7651916cd43dd8448eb211c80319c');
  });

  it('dead-letters a key span dated ahead of the server clock, keeping the valid operation whole', async () => {
    const res = await intake.post('/v1/traces', JSON.stringify(tracesRequest(RESOURCE, [jsonSpan(unwrap, { startMs: Date.now() + 3_600_000 })])), JSON_TYPE);
    expect(JSON.parse(res.bytes.toString()).partialSuccess.rejectedSpans).toBe('1');
    const [dl] = deadLetters(intake.dbPath);
    expect(dl!.reason).toMatch(/^span start time .* ahead of the server clock/);
    expect(JSON.parse(dl!.payload)).toMatchObject({ tenant: 'acme', operation: 'unwrap' });
  });
});

describe('OTLP/HTTP receiver: /v1/logs', () => {
  it('answers partialSuccess with rejectedLogRecords, in JSON and protobuf', async () => {
    const req = logsRequest(RESOURCE, [jsonLog({ ...unwrap, 'keyscope.latency_ms': 3 }), jsonLog({ 'keyscope.operation': 'unwrap' }), jsonLog({ 'log.file.name': 'app.log' })]);
    const json = await intake.post('/v1/logs', JSON.stringify(req), JSON_TYPE);
    expect(JSON.parse(json.bytes.toString())).toMatchObject({ partialSuccess: { rejectedLogRecords: '1', errorMessage: expect.stringMatching(/logRecords\[1\]: keyscope\.latency_ms: required/) } });
    const pb = await intake.post('/v1/logs', toProtobuf('logs', req), PROTOBUF);
    expect(decodeResponse('logs', pb.bytes)).toMatchObject({ partialSuccess: { rejectedLogRecords: 1 } });
    expect(countRows(intake.dbPath, 'key_operations')).toBe(1);
    expect(intake.server.otlpTotals.logs).toEqual({ requests: 2, records: 6, accepted: 2, rejected: 2, dropped: 2 });
  });
});

describe('OTLP/HTTP receiver: refused requests', () => {
  it('415 for a content type OTLP does not define, with a JSON Status', async () => {
    const res = await intake.post('/v1/traces', '{}', { 'content-type': 'text/plain' });
    expect(res.status).toBe(415);
    expect(JSON.parse(res.bytes.toString())).toMatchObject({ code: 3, message: expect.stringMatching(/application\/x-protobuf or application\/json/) });
    const br = await intake.post('/v1/logs', '{}', { ...JSON_TYPE, 'content-encoding': 'br' });
    expect(br.status).toBe(415);
  });

  it('400 for bodies that are not export requests, with a Status in the request encoding', async () => {
    const pb = await intake.post('/v1/traces', Buffer.from([0x0a, 0xff, 0xff, 0xff, 0x0f]), PROTOBUF);
    expect(pb.status).toBe(400);
    expect(pb.type).toBe('application/x-protobuf');
    expect(decodeStatus(pb.bytes)).toMatchObject({ code: 3, message: expect.stringMatching(/not a protobuf ExportTraceServiceRequest/) });
    const notJson = await intake.post('/v1/traces', '{"resourceSpans": [', JSON_TYPE);
    expect(notJson.status).toBe(400);
    expect(JSON.parse(notJson.bytes.toString()).message).toMatch(/not JSON/);
    const badId = await intake.post('/v1/traces', JSON.stringify(tracesRequest(RESOURCE, [{ ...jsonSpan(unwrap), traceId: 'xyz' }])), JSON_TYPE);
    expect(badId.status).toBe(400);
    expect(JSON.parse(badId.bytes.toString()).message).toMatch(/resourceSpans\.0\.scopeSpans\.0\.spans\.0\.traceId: expected 16 bytes as hex/);
    const badGzip = await intake.post('/v1/logs', Buffer.from('not gzip'), { ...PROTOBUF, 'content-encoding': 'gzip' });
    expect(badGzip.status).toBe(400);
    expect(decodeStatus(badGzip.bytes).message).toMatch(/not valid gzip/);
    expect(countRows(intake.dbPath, 'key_operations') + countRows(intake.dbPath, 'dead_letters')).toBe(0);
  });

  it('413 beyond the body limits, sent and inflated', async () => {
    const big = JSON.stringify(tracesRequest(RESOURCE, Array.from({ length: 400 }, () => jsonSpan(unwrap))));
    expect(big.length).toBeGreaterThan(64 * 1024);
    const sent = await intake.post('/v1/traces', big, JSON_TYPE);
    expect(sent.status).toBe(413);
    expect(JSON.parse(sent.bytes.toString()).message).toMatch(/KEYSCOPE_INTAKE_MAX_BODY_BYTES/);
    const bomb = gzipSync(Buffer.alloc(1024 * 1024, 0x20));
    const inflated = await intake.post('/v1/traces', bomb, { ...PROTOBUF, 'content-encoding': 'gzip' });
    expect(inflated.status).toBe(413);
    expect(decodeStatus(inflated.bytes).message).toMatch(/KEYSCOPE_INTAKE_MAX_DECOMPRESSED_BYTES/);
  });

  it('405 for other methods on the OTLP paths', async () => {
    const res = await fetch(`${intake.url}/v1/traces`);
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('POST');
  });
});
