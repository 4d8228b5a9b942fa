import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ImportInputError } from '../../ingest/errors';
import { planImport } from '../../ingest/import/import-plan';
import { runImport } from '../../ingest/import/run-import';
import { silentLogger } from '../../ingest/log';
import type { Store } from '../../lib/store/types';
import { makeDekRecord, makeOperation } from '../support/event-fixtures';
import { openTempStore } from '../support/temp-store';
import { countRows, deadLetters } from './support/db';
import { scratchDir } from './support/file-source-harness';

let store: Store;
let dbPath: string;
let cleanup: () => Promise<void>;
let scratch: ReturnType<typeof scratchDir>;
beforeEach(async () => {
  ({ store, path: dbPath, cleanup } = await openTempStore());
  scratch = scratchDir();
});
afterEach(async () => {
  await cleanup();
  scratch.cleanup();
});

const lines = (xs: unknown[]) => xs.map((x) => (typeof x === 'string' ? x : JSON.stringify(x))).join('\n') + '\n';
const importPath = async (path: string) => runImport({ plan: await planImport(path), store, logger: silentLogger(), batchRecords: 100, batchMaxAgeMs: 50 });

describe('import of NDJSON operations and DEK records', () => {
  it('stores the valid lines of operations/ and dek-records/ and dead-letters the rest by file and line', async () => {
    const ops = Array.from({ length: 250 }, (_, i) => makeOperation(i));
    const opsFile = scratch.write('operations/operations-1.ndjson', lines([...ops.slice(0, 100), '{broken', ...ops.slice(100), { ...makeOperation(999), latencyMs: -1 }]));
    scratch.write('dek-records/dek-records-1.ndjson', lines([makeDekRecord(1), makeDekRecord(2)]));
    scratch.write('labels/steady-seed1.ndjson', lines([{ label: 'not a record' }]));
    const summary = await importPath(scratch.dir);
    expect(summary).toMatchObject({ files: 2, filesRead: 2, recordsRead: 254, stored: 252, duplicates: 0, deadLettered: 2 });
    expect(countRows(dbPath, 'key_operations')).toBe(250);
    expect(countRows(dbPath, 'dek_records')).toBe(2);
    expect(deadLetters(dbPath).map((d) => [d.source, d.location])).toEqual([
      ['ndjson-files', `${opsFile} line 101`],
      ['ndjson-files', `${opsFile} line 252`],
    ]);
    expect(await store.listCheckpoints('ndjson-files')).toHaveLength(2);
  });

  it('reads gzip NDJSON, and dead-letters the unreadable rest of a corrupt one', async () => {
    scratch.write('operations/a.ndjson.gz', lines([makeOperation(1), makeOperation(2)]));
    const whole = gzipSync(lines(Array.from({ length: 200 }, (_, i) => makeOperation(10 + i))));
    scratch.write('operations/b.ndjson.gz', whole.subarray(0, Math.floor(whole.length / 2)), false);
    const summary = await importPath(scratch.dir);
    expect(countRows(dbPath, 'key_operations')).toBeGreaterThanOrEqual(2);
    const unreadable = deadLetters(dbPath).filter((d) => /unreadable/.test(d.reason));
    expect(unreadable).toHaveLength(1);
    expect(unreadable[0]!.location).toMatch(/b\.ndjson\.gz after line \d+/);
    expect(summary.deadLettered).toBe(1);
  });

  it('imports a single file by its kind, and refuses a file of no known kind', async () => {
    const file = scratch.write('dek-records-export.ndjson', lines([makeDekRecord(5)]));
    expect((await importPath(file)).stored).toBe(1);
    const other = scratch.write('notes.ndjson', lines([{}]));
    await expect(planImport(other)).rejects.toBeInstanceOf(ImportInputError);
    await expect(planImport(join(scratch.dir, 'missing'))).rejects.toThrow(/no such file or directory/);
  });
});
