import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planImport } from '../../ingest/import/import-plan';
import { runImport } from '../../ingest/import/run-import';
import { silentLogger } from '../../ingest/log';
import { isKms, publicCorpus } from '../support/public-corpus';
import { openTempStore } from '../support/temp-store';
import { countRows } from './support/db';

type Json = Record<string, unknown>;
const corpus = publicCorpus().map((c) => c.record);
const third = Math.ceil(corpus.length / 3);
const [a, b, c] = [corpus.slice(0, third), corpus.slice(third, 2 * third), corpus.slice(2 * third)];
const kmsIds = new Set(corpus.filter(isKms).map((r) => String(r.eventID)));

/**
 * A tree of the public records (several identity types, eventVersions and years) in every
 * container users have: a trail's gzip log file, `aws cloudtrail lookup-events` pages, a
 * JSON-lines export, beside a digest file, the writability probe and an empty file.
 */
let root: string;
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'keyscope-containers-'));
  const day = join(root, 'AWSLogs', '111122223333', 'CloudTrail', 'us-east-1', '2024', '05', '21');
  mkdirSync(day, { recursive: true });
  writeFileSync(join(day, '111122223333_CloudTrail_us-east-1_20240521T0000Z_abc.json.gz'), gzipSync(JSON.stringify({ Records: a })));
  const lookups = join(root, 'lookup-events');
  mkdirSync(lookups);
  const page = (rs: Json[]) => JSON.stringify({ Events: rs.map((r) => ({ EventId: r.eventID, EventName: r.eventName, CloudTrailEvent: JSON.stringify(r) })) }, null, 4);
  writeFileSync(join(lookups, 'page-1.json'), page(b.slice(0, 10)));
  writeFileSync(join(lookups, 'page-2.json'), page(b.slice(10)));
  writeFileSync(join(root, 'lake-export.jsonl'), c.map((r) => JSON.stringify(r)).join('\n') + '\n');
  writeFileSync(join(root, 'digest.json'), JSON.stringify({ awsAccountId: '111122223333', digestStartTime: '2024-05-21T00:00:00Z', digestEndTime: '2024-05-21T01:00:00Z', logFiles: [] }));
  writeFileSync(join(root, 'ConfigWritabilityCheckFile'), 'Config Writability Check');
  writeFileSync(join(root, 'empty.json'), '');
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('import of every container of real records', () => {
  it('stores every KMS record once, skips the rest, dead-letters none, says what each file was; a second import stores nothing', async () => {
    const t = await openTempStore();
    try {
      const first = await runImport({ plan: await planImport(root), store: t.store, logger: silentLogger(), batchRecords: 50, batchMaxAgeMs: 10 });
      expect(first.containers).toEqual({ 'trail-file': 1, 'lookup-events': 2, 'json-lines': 1, digest: 1, 'writability-check': 1, empty: 1 });
      expect(first).toMatchObject({ files: 7, filesRead: 7, filesUnreadable: 0, recordsRead: corpus.length, deadLettered: 0, notKms: corpus.length - corpus.filter(isKms).length });
      // Two published KMS samples share an eventID: the store keeps the first, counts the other.
      expect(first.stored).toBe(kmsIds.size);
      expect(first.stored + first.duplicates).toBe(corpus.filter(isKms).length);
      expect(countRows(t.path, 'audit_events')).toBe(kmsIds.size);
      expect(countRows(t.path, 'dead_letters')).toBe(0);

      const again = await runImport({ plan: await planImport(root), store: t.store, logger: silentLogger(), batchRecords: 50, batchMaxAgeMs: 10 });
      expect(again).toMatchObject({ filesAlreadyImported: 7, filesRead: 0, stored: 0 });
      expect(countRows(t.path, 'audit_events')).toBe(kmsIds.size);
    } finally {
      await t.cleanup();
    }
  });
});
