import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeDekRecord, makeOperation } from '../support/event-fixtures';
import { countRows, deadLetters } from './support/db';
import { NDJSON, gzip, ndjson, startIntake, type IntakeHarness } from './support/intake-harness';

let intake: IntakeHarness;
beforeEach(async () => {
  intake = await startIntake();
});
afterEach(async () => {
  await intake.close();
});

const missingFields = () => {
  const { service: _s, tenant: _t, ...rest } = makeOperation(100);
  return rest;
};
const wrongTypes = () => ({ ...makeOperation(101), latencyMs: 'fast', bytes: -1 });

describe('intake: line validation', () => {
  it('stores every valid line and answers 200 with the count', async () => {
    const res = await intake.post('/v1/operations', ndjson([makeOperation(1), makeOperation(2), makeOperation(3)]));
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ accepted: 3, rejected: [] });
    expect(countRows(intake.dbPath, 'key_operations')).toBe(3);
  });

  it('answers 207 for mixed batches, listing each bad line by number with its reason, and stores the good ones', async () => {
    const body = ndjson([makeOperation(1), '{"id": "oops", ', makeOperation(2), missingFields(), wrongTypes(), '[1,2]', makeOperation(3)]);
    const res = await intake.post('/v1/operations', body);
    expect(res.status).toBe(207);
    expect(res.json.accepted).toBe(3);
    const rejected = res.json.rejected as Array<{ line: number; error: string }>;
    expect(rejected.map((r) => r.line)).toEqual([2, 4, 5, 6]);
    expect(rejected[0]!.error).toMatch(/^invalid JSON/);
    expect(rejected[1]!.error).toMatch(/service: .*tenant: /);
    expect(rejected[2]!.error).toMatch(/latencyMs: .*bytes: /);
    expect(rejected[3]!.error).toMatch(/expected a JSON object, got array/);
    expect(countRows(intake.dbPath, 'key_operations')).toBe(3);
  });

  it('dead-letters every refused line with its reason, location and payload', async () => {
    await intake.post('/v1/operations', ndjson([makeOperation(1), 'not json', missingFields()]));
    const dl = deadLetters(intake.dbPath);
    expect(dl).toHaveLength(2);
    expect(dl.every((d) => d.source === 'intake-http')).toBe(true);
    expect(dl.map((d) => d.location.replace(/request \S+/, 'request R'))).toEqual(['POST /v1/operations request R line 2', 'POST /v1/operations request R line 3']);
    expect(dl[0]!.reason).toMatch(/invalid JSON/);
    // Not JSON: a sample of it. Failed the schema: its field names, never its values.
    expect(JSON.parse(dl[0]!.payload)).toMatchObject({ sample: 'not json', bytes: 8, sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(dl[1]!.reason).toMatch(/service/);
    const kept = JSON.parse(dl[1]!.payload) as { fields: string[] };
    expect(kept.fields).toEqual(Object.keys(missingFields()));
    expect(dl[1]!.payload).not.toContain('obj-100');
  });

  it('answers 400 when every line is refused, and still dead-letters them', async () => {
    const res = await intake.post('/v1/dek-records', ndjson(['{}', '{"objectId": 5}']));
    expect(res.status).toBe(400);
    expect(res.json.accepted).toBe(0);
    expect((res.json.rejected as unknown[]).length).toBe(2);
    expect(countRows(intake.dbPath, 'dead_letters')).toBe(2);
  });

  it('validates DEK records on their own path', async () => {
    const res = await intake.post('/v1/dek-records', ndjson([makeDekRecord(1), makeDekRecord(2), makeOperation(3)]));
    expect(res.status).toBe(207);
    expect((res.json.rejected as Array<{ line: number }>).map((r) => r.line)).toEqual([3]);
    expect(countRows(intake.dbPath, 'dek_records')).toBe(2);
  });

  it('stores nothing twice when a batch is resent (a lost answer), dead letters included', async () => {
    const body = ndjson([makeOperation(1), 'garbage', makeOperation(2)]);
    expect((await intake.post('/v1/operations', body)).status).toBe(207);
    expect((await intake.post('/v1/operations', body)).status).toBe(207);
    expect(countRows(intake.dbPath, 'key_operations')).toBe(2);
    expect(countRows(intake.dbPath, 'dead_letters')).toBe(1);
  });

  it('ignores blank lines and CRLF line ends, keeping physical line numbers', async () => {
    const body = `${JSON.stringify(makeOperation(1))}\r\n\r\n   \nnope\r\n`;
    const res = await intake.post('/v1/operations', body);
    expect(res.status).toBe(207);
    expect(res.json).toMatchObject({ accepted: 1, rejected: [{ line: 4 }] });
  });

  it('answers 400 for a body without records', async () => {
    const res = await intake.post('/v1/operations', '\n\n');
    expect(res.status).toBe(400);
    expect(res.json.error).toMatch(/no records/);
  });

  it('accepts gzip bodies', async () => {
    const res = await intake.post('/v1/operations', gzip(ndjson([makeOperation(1), makeOperation(2)])), { ...NDJSON, 'content-encoding': 'gzip' });
    expect(res.status).toBe(200);
    expect(countRows(intake.dbPath, 'key_operations')).toBe(2);
  });
});

describe('intake: probes', () => {
  it('reports health with the queue depth, and readiness', async () => {
    const health = await fetch(`${intake.url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ ok: true, queue: { depth: 0 } });
    const ready = await fetch(`${intake.url}/readyz`);
    expect(ready.status).toBe(200);
  });
});
