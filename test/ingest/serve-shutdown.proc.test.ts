import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDbPath } from '../support/temp-store';
import { makeOperation } from '../support/event-fixtures';
import { countRows } from './support/db';
import { collect, logLines, spawnIngest } from './support/ingest-child';
import { NDJSON, ndjson } from './support/intake-harness';
import { countTree, generateTree, type TreeCounts } from './support/traffic-tree';

let tree: { dir: string; cleanup: () => void };
let expected: TreeCounts;
let db: ReturnType<typeof tempDbPath>;
beforeAll(async () => {
  tree = await generateTree({ duration: '2m' });
  expected = countTree(tree.dir);
  db = tempDbPath();
});
afterAll(() => {
  tree.cleanup();
  db.cleanup();
});

describe('ingest serve', () => {
  it('on SIGTERM stops taking input, writes what its pipelines hold with their checkpoints, and exits 0', async () => {
    const child = spawnIngest(['serve', '--db', db.path, '--watch', join(tree.dir, 'AWSLogs')], {
      KEYSCOPE_LOG_LEVEL: 'info',
      KEYSCOPE_INTAKE_PORT: '0',
      // The tree is dated March 2026, whatever today is: not a test of the live retention.
      KEYSCOPE_LIVE_RETENTION_DAYS: '36500',
      // Batches that never fill and never age: only the shutdown flush can write the files' records.
      KEYSCOPE_INGEST_BATCH_RECORDS: '100000',
      KEYSCOPE_INGEST_BATCH_MAX_AGE_MS: '600000',
      KEYSCOPE_CLOUDTRAIL_POLL_MS: '200',
    });
    const log = logLines(child);
    const done = collect(child);
    const url = (await log.until((l) => l.msg === 'ingest service started')).url as string;

    // The intake answers only after a commit, so this batch is stored before the signal.
    const post = await fetch(`${url}/v1/operations`, { method: 'POST', headers: NDJSON, body: ndjson([makeOperation(1), makeOperation(2)]) });
    expect(post.status).toBe(200);
    // The watcher's records wait in a batch that only a flush writes (files settle for 2 s
    // first). It logs each poll that submitted files, once their records are in the pipeline.
    let submitted = 0;
    await log.until((l) => l.msg === 'cloudtrail files ingested' && (submitted += l.auditEvents as number) >= expected.kmsEvents);
    expect(submitted).toBe(expected.kmsEvents);
    const health = (await (await fetch(`${url}/healthz`)).json()) as unknown;
    expect(health).toMatchObject({ ok: true, queue: { depth: expected.kmsEvents } });
    expect(countRows(db.path, 'audit_events')).toBe(0);

    child.kill('SIGTERM');
    const result = await done;
    expect(result.code).toBe(0);
    expect(log.lines.map((l) => l.msg)).toEqual(expect.arrayContaining(['shutting down', 'ingest service stopping', 'ingest service stopped']));
    expect(countRows(db.path, 'key_operations')).toBe(2);
    expect(countRows(db.path, 'audit_events')).toBe(expected.kmsEvents);
    expect(countRows(db.path, 'checkpoints')).toBeGreaterThanOrEqual(expected.logFiles);
    // Every log line is JSON and none carries a record.
    expect(log.lines.filter((l) => 'raw' in l)).toEqual([]);
    expect(result.stdout).not.toMatch(/"Records"|"kekVersion"/);
  });
});
