import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDbPath } from '../support/temp-store';
import { countRows, query } from './support/db';
import { killAfterWrites, runIngest } from './support/ingest-child';
import { countTree, generateTree, type TreeCounts } from './support/traffic-tree';

let tree: { dir: string; cleanup: () => void };
let expected: TreeCounts;
let db: ReturnType<typeof tempDbPath>;
beforeAll(async () => {
  tree = await generateTree({ duration: '4m' });
  expected = countTree(tree.dir);
  db = tempDbPath();
});
afterAll(() => {
  tree.cleanup();
  db.cleanup();
});

/** Small batches: many commits, so a crash lands between two of them. */
const ENV = { KEYSCOPE_INGEST_BATCH_RECORDS: '100' };

/** An import that SIGKILLs itself right after its `writes`th store write holding `kind` (a crash mid-import). */
async function importAndCrash(kind: 'auditEvents' | 'keyOperations', writes: number): Promise<void> {
  const result = await runIngest(['import', tree.dir, '--db', db.path, '--json', '--no-progress'], { ...ENV, ...killAfterWrites(writes, { kind }) });
  expect(result.signal, `the import did not crash at the failpoint: ${result.stdout}${result.stderr}`).toBe('SIGKILL');
}

describe('crash and restart of an import', () => {
  it('stores each record of the tree exactly once after SIGKILLs mid-import and a restart', async () => {
    // Killed while reading the trail (the trail's files come first), then again while reading the operations NDJSON.
    await importAndCrash('auditEvents', 1);
    const trailPart = countRows(db.path, 'audit_events');
    expect(trailPart).toBeGreaterThan(0);
    expect(trailPart).toBeLessThan(expected.kmsEvents);
    expect(countRows(db.path, 'key_operations')).toBe(0);
    await importAndCrash('keyOperations', 2);
    const partial = countRows(db.path, 'key_operations');
    expect(partial).toBeGreaterThan(0);
    expect(partial).toBeLessThan(expected.operations);

    const run = await runIngest(['import', tree.dir, '--db', db.path, '--json', '--no-progress'], ENV);
    expect(run.code).toBe(0);
    const summary = JSON.parse(run.stdout) as { filesAlreadyImported: number; duplicates: number };
    expect(summary.filesAlreadyImported).toBeGreaterThan(0);
    // The operations file was cut short without its checkpoint: read again, its stored part skipped by id.
    expect(summary.duplicates).toBeGreaterThanOrEqual(partial);

    expect(countRows(db.path, 'audit_events')).toBe(expected.kmsEvents);
    expect(countRows(db.path, 'key_operations')).toBe(expected.operations);
    expect(countRows(db.path, 'dek_records')).toBe(expected.dekRecords);
    expect(countRows(db.path, 'dead_letters')).toBe(0);
    // Rollups were written in the same transactions as the rows: no double counts either.
    const [rollup] = query<{ n: number }>(db.path, 'SELECT SUM(total) AS n FROM op_rollup_1m');
    expect(rollup!.n).toBe(expected.operations);
    expect(countRows(db.path, 'checkpoints')).toBe(expected.logFiles + expected.ndjsonFiles);
  });
});
