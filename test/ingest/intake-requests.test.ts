import { request } from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeOperation } from '../support/event-fixtures';
import { countRows } from './support/db';
import { NDJSON, gzip, ndjson, startIntake, type IntakeHarness } from './support/intake-harness';

let intake: IntakeHarness;
const MAX_BODY = 64 * 1024;
const MAX_INFLATED = 256 * 1024;
beforeEach(async () => {
  intake = await startIntake({ maxBodyBytes: MAX_BODY, maxDecompressedBytes: MAX_INFLATED });
});
afterEach(async () => {
  await intake.close();
});

/** A chunked POST (no Content-Length), as a streaming client sends. */
function postChunked(url: string, chunks: Buffer[]): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers: NDJSON }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    for (const c of chunks) req.write(c);
    req.end();
  });
}

describe('intake: request limits and errors', () => {
  it('answers 413 with a clear message for a body over the limit (Content-Length)', async () => {
    const res = await intake.post('/v1/operations', 'x'.repeat(MAX_BODY + 1));
    expect(res.status).toBe(413);
    expect(res.json.error).toMatch(/exceeds 65536 bytes.*KEYSCOPE_INTAKE_MAX_BODY_BYTES/);
  });

  it('answers 413 for a chunked body that grows past the limit', async () => {
    const chunk = Buffer.from(ndjson([makeOperation(1)]).repeat(20));
    const res = await postChunked(`${intake.url}/v1/operations`, Array.from({ length: Math.ceil((MAX_BODY * 2) / chunk.length) }, () => chunk));
    expect(res.status).toBe(413);
    expect(countRows(intake.dbPath, 'key_operations')).toBe(0);
  });

  it('answers 413 for a gzip bomb: small on the wire, past the inflated limit', async () => {
    const bomb = gzip(Buffer.alloc(MAX_INFLATED * 4, 0x20));
    expect(bomb.length).toBeLessThan(MAX_BODY);
    const res = await intake.post('/v1/operations', bomb, { ...NDJSON, 'content-encoding': 'gzip' });
    expect(res.status).toBe(413);
    expect(res.json.error).toMatch(/inflates past 262144 bytes/);
  });

  it('answers 400 saying so when a gzip body is not gzip, or is cut short', async () => {
    const notGzip = await intake.post('/v1/operations', ndjson([makeOperation(1)]), { ...NDJSON, 'content-encoding': 'gzip' });
    expect(notGzip.status).toBe(400);
    expect(notGzip.json.error).toMatch(/not valid gzip/);
    const whole = gzip(ndjson([makeOperation(1), makeOperation(2)]));
    const truncated = await intake.post('/v1/operations', whole.subarray(0, whole.length - 10), { ...NDJSON, 'content-encoding': 'gzip' });
    expect(truncated.status).toBe(400);
    expect(truncated.json.error).toMatch(/not valid gzip/);
    expect(countRows(intake.dbPath, 'key_operations')).toBe(0);
  });

  it('answers 415 for another content type or an unsupported encoding', async () => {
    const json = await intake.post('/v1/operations', JSON.stringify(makeOperation(1)), { 'content-type': 'application/json' });
    expect(json.status).toBe(415);
    expect(json.json.error).toMatch(/application\/x-ndjson/);
    const br = await intake.post('/v1/operations', ndjson([makeOperation(1)]), { ...NDJSON, 'content-encoding': 'br' });
    expect(br.status).toBe(415);
    const withCharset = await intake.post('/v1/operations', ndjson([makeOperation(1)]), { 'content-type': 'application/x-ndjson; charset=utf-8' });
    expect(withCharset.status).toBe(200);
  });

  it('answers 404 for an unknown path and 405 (with Allow) for a wrong method', async () => {
    const missing = await intake.post('/v1/nothing', ndjson([makeOperation(1)]));
    expect(missing.status).toBe(404);
    const get = await fetch(`${intake.url}/v1/operations`);
    expect(get.status).toBe(405);
    expect(get.headers.get('allow')).toBe('POST');
    const postHealth = await intake.post('/healthz', 'x');
    expect(postHealth.status).toBe(405);
    expect(postHealth.headers.get('allow')).toBe('GET');
  });

  it('keeps serving on the same connection after refusing a request', async () => {
    for (let i = 0; i < 3; i++) expect((await intake.post('/v1/operations', 'x'.repeat(MAX_BODY + 10))).status).toBe(413);
    expect((await intake.post('/v1/operations', ndjson([makeOperation(1)]))).status).toBe(200);
  });
});
