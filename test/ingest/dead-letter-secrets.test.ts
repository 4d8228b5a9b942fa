import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { planImport } from '../../ingest/import/import-plan';
import { runImport } from '../../ingest/import/run-import';
import { Pipeline } from '../../ingest/pipeline/pipeline';
import { fieldPaths } from '../../ingest/pipeline/line-payload';
import { INTAKE_SOURCE } from '../../ingest/sources/intake-http/ndjson-handler';
import { IntakeServer } from '../../ingest/sources/intake-http/server';
import { makeDekRecord, makeOperation } from '../support/event-fixtures';
import { findSecrets } from '../support/secret-scan';
import { openTempStore } from '../support/temp-store';
import { deadLetters } from './support/db';
import { scratchDir } from './support/file-source-harness';

/**
 * An emitter that gets it wrong may put a plaintext DEK in a line. The line fails the
 * schema (no such field), is dead-lettered, and the key is found nowhere: not in the
 * store's files (database, WAL), not in the logs at the most verbose level, not in the
 * answer to the sender.
 */
function capturingLogger() {
  const chunks: Buffer[] = [];
  const stream = new Writable({ write: (c, _e, done) => (chunks.push(Buffer.from(c)), done()) });
  return { logger: pino({ level: 'trace' }, stream), text: () => Buffer.concat(chunks) };
}
const storeFiles = (path: string) => new Map([path, `${path}-wal`, `${path}-shm`].filter(existsSync).map((p) => [p, readFileSync(p)] as [string, Buffer]));

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe('a plaintext DEK planted in a line', () => {
  it('through the intake: dead-lettered with field names only, found in no store file, log or answer', async () => {
    const secrets = [randomBytes(32), randomBytes(32), randomBytes(32)];
    const temp = await openTempStore();
    const log = capturingLogger();
    const pipeline = new Pipeline({ source: INTAKE_SOURCE, store: temp.store, batchRecords: 100, batchMaxAgeMs: 10 });
    const server = new IntakeServer({
      host: '127.0.0.1', port: 0, limits: { maxBodyBytes: 1 << 20, maxDecompressedBytes: 4 << 20 }, pipeline, logger: log.logger,
      health: async () => ({ ok: true, queue: { depth: 0 } }),
      timeBounds: { futureSkewMs: 300_000, liveRetentionMs: 20 * 365 * 86_400_000 },
    });
    const { url } = await server.listen();
    cleanups.push(async () => {
      await server.close();
      await pipeline.close();
      await temp.cleanup();
    });
    const lines = [
      { ...makeOperation(1), plaintextDek: secrets[0]!.toString('base64') },
      { ...makeOperation(2), debug: { dek: secrets[1]!.toString('hex') } },
      { ...makeDekRecord(3), encryptionContext: { tenant: 'acme', dek: secrets[2]!.toString('base64url') }, bytes: -1 },
      makeOperation(4),
    ];
    const post = (path: string, rs: unknown[]) => fetch(url + path, { method: 'POST', headers: { 'content-type': 'application/x-ndjson' }, body: rs.map((r) => JSON.stringify(r)).join('\n') + '\n' });
    const res = await post('/v1/operations', [lines[0], lines[1], lines[3]]);
    expect(res.status).toBe(207);
    const answer = Buffer.from(await res.arrayBuffer());
    const res2 = await post('/v1/dek-records', [lines[2]]);
    expect(res2.status).toBe(400);
    const answer2 = Buffer.from(await res2.arrayBuffer());
    await pipeline.flush();

    const dl = deadLetters(temp.path);
    expect(dl).toHaveLength(3);
    expect(dl.map((d) => (JSON.parse(d.payload) as { fields: string[] }).fields).map((f) => f.filter((n) => /dek/i.test(n) && !/^dekId$/.test(n)).join(' ')).sort()).toEqual([
      'debug.dek', 'encryptionContext.dek', 'plaintextDek',
    ]);
    await temp.store.close();
    const outputs = new Map([...storeFiles(temp.path), ['log', log.text()], ['answer', answer], ['answer2', answer2]]);
    expect(log.text().length).toBeGreaterThan(0);
    expect(findSecrets(outputs, secrets)).toEqual([]);
  });

  it('through import of an NDJSON file: the same', async () => {
    const secret = randomBytes(32);
    const scratch = scratchDir();
    cleanups.push(() => scratch.cleanup());
    mkdirSync(join(scratch.dir, 'operations'), { recursive: true });
    writeFileSync(join(scratch.dir, 'operations', 'ops-1.ndjson'), [makeOperation(1), { ...makeOperation(2), plaintextDek: secret.toString('base64') }].map((r) => JSON.stringify(r)).join('\n') + '\n');
    const temp = await openTempStore();
    cleanups.push(() => temp.cleanup());
    const log = capturingLogger();
    const summary = await runImport({ plan: await planImport(scratch.dir), store: temp.store, logger: log.logger, batchRecords: 10, batchMaxAgeMs: 10 });
    expect(summary).toMatchObject({ stored: 1, deadLettered: 1 });
    await temp.store.close();
    expect(findSecrets(new Map([...storeFiles(temp.path), ['log', log.text()]]), [secret])).toEqual([]);
  });
});

describe('fieldPaths', () => {
  it('names every key, nested and in arrays, once, without values', () => {
    expect(fieldPaths({ a: 1, b: { c: 'x', d: [{ e: 1 }, { e: 2, f: 3 }] }, g: null })).toEqual(['a', 'b', 'b.c', 'b.d', 'b.d[].e', 'b.d[].f', 'g']);
  });
});
