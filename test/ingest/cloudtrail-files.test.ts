import { readFileSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { countRows, deadLetters, query } from './support/db';
import { scratchDir, startFileSource, type FileSourceHarness } from './support/file-source-harness';
import { countTree, generateTree, type TreeCounts } from './support/traffic-tree';

const MIXED = readFileSync(new URL('../fixtures/cloudtrail/log-file-mixed.json', import.meta.url), 'utf8');
const TRAIL_DIR = 'AWSLogs/111122223333/CloudTrail/us-west-2/2026/03/01';

let tree: { dir: string; cleanup: () => void };
let expected: TreeCounts;
beforeAll(async () => {
  tree = await generateTree();
  expected = countTree(tree.dir);
});
afterAll(() => tree.cleanup());

let source: FileSourceHarness | null = null;
let scratch: ReturnType<typeof scratchDir> | null = null;
afterEach(async () => {
  await source?.close();
  scratch?.cleanup();
  source = null;
  scratch = null;
});

describe('cloudtrail-files source on a generated trail', () => {
  it('stores every KMS record of the tree once, with one checkpoint per file', async () => {
    source = await startFileSource(join(tree.dir, 'AWSLogs'));
    const first = await source.poll();
    expect(first).toMatchObject({ files: expected.logFiles, auditEvents: expected.kmsEvents, notKms: 0, deadLetters: 0 });
    expect(countRows(source.dbPath, 'audit_events')).toBe(expected.kmsEvents);
    const checkpoints = await source.store.listCheckpoints('cloudtrail-files');
    expect(checkpoints).toHaveLength(expected.logFiles);
    expect(checkpoints[0]!.value).toMatchObject({ size: expect.any(Number), mtimeMs: expect.any(Number), auditEvents: expect.any(Number) });

    const second = await source.poll();
    expect(second.files).toBe(0);
    expect(countRows(source.dbPath, 'audit_events')).toBe(expected.kmsEvents);
  });
});

describe('cloudtrail-files source on hand-made files', () => {
  it('counts records of other services as not KMS (never dead letters) and dead-letters a malformed record by file and index', async () => {
    scratch = scratchDir();
    const path = scratch.write(`${TRAIL_DIR}/mixed.json.gz`, MIXED);
    source = await startFileSource(scratch.dir);
    const r = await source.poll();
    expect(r).toEqual({ files: 1, records: 5, auditEvents: 3, notKms: 1, deadLetters: 1 });
    expect(countRows(source.dbPath, 'audit_events')).toBe(3);
    const [dl] = deadLetters(source.dbPath);
    expect(dl).toMatchObject({ source: 'cloudtrail-files', location: `${path} Records[3]` });
    expect(dl!.reason).toMatch(/eventID/);
    expect(JSON.parse(dl!.payload)).toMatchObject({ eventName: 'DescribeKey', eventID: 12345 });
  });

  it('dead-letters a corrupt file once with its reason (bad gzip, bad JSON, no Records) and marks it done', async () => {
    scratch = scratchDir();
    const badGzip = scratch.write(`${TRAIL_DIR}/a.json.gz`, 'definitely not gzip', false);
    const truncated = scratch.write(`${TRAIL_DIR}/b.json.gz`, 'x', false);
    const badJson = scratch.write(`${TRAIL_DIR}/c.json`, '{"Records": [');
    const noRecords = scratch.write(`${TRAIL_DIR}/d.json`, '{"records": []}');
    source = await startFileSource(scratch.dir);
    const r = await source.poll();
    expect(r).toMatchObject({ files: 4, records: 0, deadLetters: 4 });
    const reasons = Object.fromEntries(deadLetters(source.dbPath).map((d) => [d.location, d.reason]));
    expect(reasons[badGzip]).toMatch(/bad gzip/);
    expect(reasons[truncated]).toMatch(/bad gzip/);
    expect(reasons[badJson]).toMatch(/invalid JSON/);
    expect(reasons[noRecords]).toMatch(/not CloudTrail: expected \{"Records": \[...\]\}/);
    expect(await source.store.listCheckpoints('cloudtrail-files')).toHaveLength(4);
    expect((await source.poll()).files).toBe(0);
    expect(countRows(source.dbPath, 'dead_letters')).toBe(4);
  });

  it('skips digest and Insights folders, temporaries and other file types', async () => {
    scratch = scratchDir();
    scratch.write(`AWSLogs/111122223333/CloudTrail-Digest/us-west-2/2026/03/01/digest.json.gz`, '{"digest": true}');
    scratch.write(`AWSLogs/111122223333/CloudTrail-Insight/us-west-2/2026/03/01/insight.json.gz`, '{"Records": [{}]}');
    scratch.write(`${TRAIL_DIR}/.partial.json.gz.123.tmp`, 'x', false);
    scratch.write(`${TRAIL_DIR}/notes.txt`, 'hello');
    scratch.write(`${TRAIL_DIR}/real.json`, MIXED);
    source = await startFileSource(scratch.dir);
    expect(await source.poll()).toMatchObject({ files: 1, auditEvents: 3 });
  });

  it('reads a file again when its size or mtime changes, storing only what is new', async () => {
    scratch = scratchDir();
    const mixed = JSON.parse(MIXED) as { Records: unknown[] };
    const path = scratch.write(`${TRAIL_DIR}/grow.json`, JSON.stringify({ Records: mixed.Records.slice(0, 1) }));
    source = await startFileSource(scratch.dir);
    expect(await source.poll()).toMatchObject({ files: 1, auditEvents: 1 });
    scratch.write(`${TRAIL_DIR}/grow.json`, JSON.stringify(mixed));
    expect(await source.poll()).toMatchObject({ files: 1, auditEvents: 3 });
    expect(countRows(source.dbPath, 'audit_events')).toBe(3);
    expect(source.pipeline.stats().totals).toMatchObject({ stored: 3, duplicates: 1 });
    const [cp] = await source.store.listCheckpoints('cloudtrail-files');
    expect(cp!.key).toBe(path);
  });

  it('leaves a file modified within the settle time for a later poll', async () => {
    scratch = scratchDir();
    const path = scratch.write(`${TRAIL_DIR}/fresh.json`, MIXED);
    source = await startFileSource(scratch.dir, 60_000);
    expect((await source.poll()).files).toBe(0);
    const old = new Date(Date.now() - 120_000);
    utimesSync(path, old, old);
    expect((await source.poll()).files).toBe(1);
    expect(query(source.dbPath, 'SELECT source FROM ingest_sources')).toEqual([{ source: 'cloudtrail-files' }]);
  });
});
