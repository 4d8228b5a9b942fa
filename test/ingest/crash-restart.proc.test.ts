import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDbPath } from '../support/temp-store';
import { countRows, query } from './support/db';
import { collect, runIngest, spawnIngest } from './support/ingest-child';
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

/** Small batches: many commits, so the kill lands between two of them. */
const ENV = { KEYSCOPE_INGEST_BATCH_RECORDS: '100' };

/** Rows of `table` once the importer's database has its schema, else 0. */
function rowsIn(table: string): number {
  if (!existsSync(db.path)) return 0;
  const conn = new Database(db.path, { readonly: true });
  try {
    const has = conn.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?`).get(table);
    return has ? (conn.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n : 0;
  } finally {
    conn.close();
  }
}

/** Starts an import and SIGKILLs it as soon as `table` has rows (a crash mid-import). */
async function importAndKill(table: string): Promise<void> {
  const child = spawnIngest(['import', tree.dir, '--db', db.path, '--json', '--no-progress'], ENV);
  const done = collect(child);
  let finished = false;
  void done.then(() => (finished = true));
  const before = rowsIn(table);
  while (!finished && rowsIn(table) <= before) await new Promise((r) => setTimeout(r, 5));
  child.kill('SIGKILL');
  const result = await done;
  expect(result.signal, `the import finished before it could be killed: ${result.stdout}`).toBe('SIGKILL');
}

describe('crash and restart of an import', () => {
  it('stores each record of the tree exactly once after SIGKILLs mid-import and a restart', async () => {
    // Killed while reading the trail, then again while reading the operations NDJSON.
    await importAndKill('audit_events');
    await importAndKill('key_operations');
    const partial = countRows(db.path, 'key_operations');
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
