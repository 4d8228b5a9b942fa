import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { makeOperation } from '../support/event-fixtures';
import { countRows } from './support/db';
import { ndjson } from './support/intake-harness';
import { startTokenIntake, type TokenIntake } from './support/token-intake';

const NDJSON = { 'content-type': 'application/x-ndjson' };
const GZIP = { ...NDJSON, 'content-encoding': 'gzip' };
const ops = (n: number, from = 0) => Array.from({ length: n }, (_, i) => makeOperation(from + i));

let intake: TokenIntake | undefined;
afterEach(async () => {
  await intake?.close();
  intake = undefined;
});

describe('intake limits', () => {
  it('reads a gzip body line by line: lines cut across chunks and multi-byte characters arrive whole', async () => {
    intake = await startTokenIntake();
    // ~3 MB inflated, far more than one 16 KiB zlib chunk; tenants with 4-byte characters.
    const lines = ops(4000).map((o, i) => ({ ...o, tenant: `tenant-${i % 7}-😀é`, principal: 'p'.repeat(300) }));
    const res = await intake.post('/v1/operations', gzipSync(ndjson(lines)), GZIP);
    expect(res.status).toBe(200);
    expect(res.json()).toEqual({ accepted: 4000, rejected: [] });
    expect(countRows(intake.dbPath, 'key_operations')).toBe(4000);
    expect(intake.server.inflight.bytes).toBe(0);
  });

  it('a line longer than the limit: 413 naming KEYSCOPE_INTAKE_MAX_LINE_BYTES, with how many lines before it were stored', async () => {
    intake = await startTokenIntake({ limits: { maxLineBytes: 2048 } });
    const body = ndjson([...ops(3), { ...makeOperation(9), principal: 'x'.repeat(3000) }, makeOperation(10)]);
    const res = await intake.post('/v1/operations', body, NDJSON);
    expect(res.status).toBe(413);
    expect(res.json()).toEqual({ accepted: 3, limit: 'KEYSCOPE_INTAKE_MAX_LINE_BYTES', error: 'line 4 is longer than 2048 bytes (KEYSCOPE_INTAKE_MAX_LINE_BYTES)' });
    expect(countRows(intake.dbPath, 'key_operations')).toBe(3);
  });

  it('more lines than the limit: 413 naming KEYSCOPE_INTAKE_MAX_LINES', async () => {
    intake = await startTokenIntake({ limits: { maxLines: 1500 } });
    const res = await intake.post('/v1/operations', gzipSync(ndjson(ops(1600))), GZIP);
    expect(res.status).toBe(413);
    expect(res.json()).toMatchObject({ limit: 'KEYSCOPE_INTAKE_MAX_LINES', error: 'request has more than 1500 lines (KEYSCOPE_INTAKE_MAX_LINES); send smaller batches' });
    // The lines handed on before the limit (whole groups) are stored; a resend is deduplicated.
    expect(countRows(intake.dbPath, 'key_operations')).toBe((res.json() as { accepted: number }).accepted);
  });

  it('past the in-flight cap: 429 with Retry-After naming KEYSCOPE_INTAKE_MAX_INFLIGHT_BYTES; the budget is given back', async () => {
    intake = await startTokenIntake({ maxInflightBytes: 256 * 1024 });
    const big = await intake.post('/v1/operations', gzipSync(ndjson(ops(2000))), GZIP);
    expect(big.status).toBe(429);
    expect(big.headers.get('retry-after')).toBe('1');
    expect(big.json()).toMatchObject({ limit: 'KEYSCOPE_INTAKE_MAX_INFLIGHT_BYTES' });
    expect(intake.server.inflight.bytes).toBe(0);
    const small = await intake.post('/v1/operations', ndjson(ops(5, 5000)), NDJSON);
    expect(small.status).toBe(200);
  });

  it('a gzip bomb stops at KEYSCOPE_INTAKE_MAX_DECOMPRESSED_BYTES (413) without inflating the rest', async () => {
    intake = await startTokenIntake({ limits: { maxDecompressedBytes: 1024 * 1024, maxLineBytes: 64 * 1024 * 1024 } });
    const bomb = gzipSync(Buffer.alloc(64 * 1024 * 1024, 0x20));
    const res = await intake.post('/v1/operations', bomb, GZIP);
    expect(res.status).toBe(413);
    expect(res.json().error).toMatch(/inflates past 1048576 bytes \(KEYSCOPE_INTAKE_MAX_DECOMPRESSED_BYTES\)/);
  });

  it('a body that stops being gzip half-way is a 400, the lines before it are stored', async () => {
    intake = await startTokenIntake();
    const good = gzipSync(ndjson(ops(3000)));
    const broken = Buffer.concat([good.subarray(0, good.length - 5000), Buffer.alloc(5000, 0x41)]);
    const res = await intake.post('/v1/operations', broken, GZIP);
    expect(res.status).toBe(400);
    expect(res.json().error).toMatch(/not valid gzip/);
  });
});
