import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDbPath } from '../support/temp-store';
import { countRows } from './support/db';
import { scratchDir } from './support/file-source-harness';
import { runIngest } from './support/ingest-child';
import { countTree, generateTree, type TreeCounts } from './support/traffic-tree';

let tree: { dir: string; cleanup: () => void };
let expected: TreeCounts;
const dbs: Array<ReturnType<typeof tempDbPath>> = [];
const freshDb = () => {
  const db = tempDbPath();
  dbs.push(db);
  return db.path;
};
beforeAll(async () => {
  tree = await generateTree();
  expected = countTree(tree.dir);
});
afterAll(() => {
  tree.cleanup();
  for (const db of dbs) db.cleanup();
});

describe('ingest import', () => {
  it('--json prints one summary object whose counts match the tree, and the store holds them', async () => {
    const db = freshDb();
    const run = await runIngest(['import', tree.dir, '--db', db, '--json']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const summary = JSON.parse(run.stdout) as Record<string, unknown>;
    const unique = expected.kmsEvents + expected.operations + expected.dekRecords;
    expect(summary).toMatchObject({
      files: expected.logFiles + expected.ndjsonFiles,
      filesRead: expected.logFiles + expected.ndjsonFiles,
      filesAlreadyImported: 0,
      filesUnreadable: 0,
      recordsRead: expected.kmsEvents + expected.ndjsonLines,
      stored: unique,
      duplicates: expected.ndjsonLines - expected.operations - expected.dekRecords,
      notKms: 0,
      deadLettered: 0,
      byKind: { auditEvents: { stored: expected.kmsEvents }, keyOperations: { stored: expected.operations }, dekRecords: { stored: expected.dekRecords } },
    });
    expect(summary.eventsPerSecond).toBeGreaterThan(0);
    expect(countRows(db, 'audit_events')).toBe(expected.kmsEvents);
    expect(countRows(db, 'key_operations')).toBe(expected.operations);
    expect(countRows(db, 'dek_records')).toBe(expected.dekRecords);

    // Again: every file is already imported, nothing is read or stored twice.
    const again = JSON.parse((await runIngest(['import', tree.dir, '--db', db, '--json'])).stdout) as Record<string, unknown>;
    expect(again).toMatchObject({ filesAlreadyImported: expected.logFiles + expected.ndjsonFiles, recordsRead: 0, stored: 0 });
  });

  it('prints a readable summary without --json', async () => {
    const run = await runIngest(['import', join(tree.dir, 'AWSLogs'), '--db', freshDb(), '--no-progress']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(new RegExp(`records read +${expected.kmsEvents}\\n`));
    expect(run.stdout).toMatch(/events\/s/);
    expect(run.stdout).toMatch(/dead-lettered +0/);
  });

  it('counts non-KMS records and dead letters, and exits 0 when anything could be read', async () => {
    const scratch = scratchDir();
    const mixed = readFileSync(new URL('../fixtures/cloudtrail/log-file-mixed.json', import.meta.url), 'utf8');
    scratch.write('AWSLogs/1/CloudTrail/r/2026/03/01/mixed.json.gz', mixed);
    scratch.write('AWSLogs/1/CloudTrail/r/2026/03/01/zz-corrupt.json.gz', 'nope', false);
    const run = await runIngest(['import', scratch.dir, '--db', freshDb(), '--json']);
    scratch.cleanup();
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ files: 2, filesUnreadable: 1, recordsRead: 5, stored: 3, notKms: 1, deadLettered: 2 });
  });

  it('exits 1 with a clear message when the path is missing, and creates no database', async () => {
    const db = freshDb();
    const run = await runIngest(['import', '/nonexistent/trail', '--db', db]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/no such file or directory: \/nonexistent\/trail/);
    expect(run.stderr).not.toMatch(/at .*\.ts:\d+/);
    expect(existsSync(db)).toBe(false);
  });

  it('exits 1 when nothing could be read', async () => {
    const scratch = scratchDir();
    scratch.write('only.json.gz', 'garbage', false);
    const corrupt = await runIngest(['import', scratch.dir, '--db', freshDb(), '--json']);
    const empty = await runIngest(['import', join(scratch.dir, 'nothing-here'), '--db', freshDb()]);
    scratch.write('sub/readme.txt', 'no logs');
    const noLogs = await runIngest(['import', join(scratch.dir, 'sub'), '--db', freshDb()]);
    scratch.cleanup();
    expect(corrupt.code).toBe(1);
    expect(corrupt.stderr).toMatch(/none of the 1 files/);
    expect(JSON.parse(corrupt.stdout)).toMatchObject({ files: 1, filesUnreadable: 1, deadLettered: 1 });
    expect(empty.code).toBe(1);
    expect(noLogs.code).toBe(1);
    expect(noLogs.stderr).toMatch(/nothing to import/);
  });
});
