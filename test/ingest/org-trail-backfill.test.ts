import { describe, expect, it } from 'vitest';
import { planImport } from '../../ingest/import/import-plan';
import { runImport } from '../../ingest/import/run-import';
import { silentLogger } from '../../ingest/log';
import { Pipeline } from '../../ingest/pipeline/pipeline';
import { backfillLogFiles } from '../../ingest/sources/cloudtrail-files/backfill';
import { readLogFile } from '../../ingest/sources/cloudtrail-files/read-log-file';
import { trailLocation } from '../../ingest/sources/cloudtrail-files/trail-path';
import { walkLogFiles } from '../../ingest/sources/cloudtrail-files/walk';
import { openTempStore } from '../support/temp-store';
import { ACCOUNTS, ORG, REGIONS, useOrgTree } from './support/org-tree-suite';
import { countRows, query } from './support/db';
import { RecordingStore } from './support/fake-store';

const orgTree = useOrgTree();

describe('trail paths', () => {
  it.each([
    [`/x/AWSLogs/${ORG}/111122223333/CloudTrail/eu-west-1/2026/03/01/f.json.gz`, { organizationId: ORG, accountId: '111122223333', region: 'eu-west-1', day: '2026-03-01' }],
    ['/exports/AWSLogs/444455556666/CloudTrail/ap-southeast-2/2025/12/31/f.json.gz', { organizationId: null, accountId: '444455556666', region: 'ap-southeast-2', day: '2025-12-31' }],
    ['/x/AWSLogs/111122223333/CloudTrail-Digest/eu-west-1/2026/03/01/f.json.gz', null],
    ['/x/AWSLogs/not-an-account/CloudTrail/eu-west-1/2026/03/01/f.json.gz', null],
    ['/tmp/loose.json', null],
  ])('%s', (path, expected) => {
    expect(trailLocation(path)).toEqual(expected);
  });
});

describe('backfill of an organization trail', () => {
  it('reads every account and Region, skips digest and Insights files (counted), counts other services without storing them', async () => {
    const t = await openTempStore();
    try {
      const summary = await runImport({ plan: await planImport(orgTree.root), store: t.store, logger: silentLogger(), batchRecords: 500, batchMaxAgeMs: 50, concurrency: 3 });
      expect(summary).toMatchObject({
        files: orgTree.counts.logFiles, filesRead: orgTree.counts.logFiles, filesAlreadyImported: 0, filesUnreadable: 0,
        filesSkipped: { digest: orgTree.counts.digestFiles, insight: orgTree.counts.insightFiles },
        recordsRead: orgTree.counts.kmsEvents + orgTree.counts.s3Events, notKms: orgTree.counts.s3Events, deadLettered: 0, stored: orgTree.counts.kmsEvents, duplicates: 0,
      });
      expect(orgTree.counts.s3Events).toBe(orgTree.counts.logFiles);
      expect(summary.trails.map((x) => `${x.organizationId}/${x.accountId}/${x.region}`)).toEqual(
        ACCOUNTS.flatMap((a) => ['eu-west-1', 'us-east-1'].map((r) => `${ORG}/${a}/${r}`)),
      );
      expect(summary.trails.reduce((n, x) => n + x.auditEvents, 0)).toBe(orgTree.counts.kmsEvents);
      expect(summary.trails.every((x) => x.notKms === x.files && x.firstDay === '2026-03-01')).toBe(true);

      expect(countRows(t.path, 'audit_events')).toBe(orgTree.counts.kmsEvents);
      expect(countRows(t.path, 'dead_letters')).toBe(0);
      expect(query(t.path, `SELECT COUNT(*) AS n FROM audit_events WHERE doc LIKE '%s3.amazonaws.com"%' AND event_name = 'GetObject'`)).toEqual([{ n: 0 }]);
      // Each account/Region's events are its own: keys in that account and Region.
      const perTrail = query<{ account: string; region: string; n: number }>(t.path,
        `SELECT json_extract(doc, '$.accountId') AS account, json_extract(doc, '$.region') AS region, COUNT(*) AS n FROM audit_events GROUP BY 1, 2 ORDER BY 1, 2`);
      expect(perTrail).toHaveLength(ACCOUNTS.length * REGIONS.length);
      for (const row of perTrail) expect(row.n).toBe(summary.trails.find((x) => x.accountId === row.account && x.region === row.region)!.auditEvents);
      // The inventory: every key the trail names, in its own account and Region.
      const states = await t.store.keyStates();
      expect(states.length).toBeGreaterThan(0);
      expect(new Set(states.map((s) => `${s.accountId}/${s.region}`)).size).toBe(ACCOUNTS.length * REGIONS.length);
      expect(summary.keyStatesWritten).toBeGreaterThanOrEqual(states.length);

      const again = await runImport({ plan: await planImport(orgTree.root), store: t.store, logger: silentLogger(), batchRecords: 500, batchMaxAgeMs: 50, concurrency: 3 });
      expect(again).toMatchObject({ filesRead: 0, filesAlreadyImported: orgTree.counts.logFiles, stored: 0, recordsRead: 0 });
    } finally {
      await t.cleanup();
    }
  });

  it('keeps at most `concurrency` files read and held, and holds no more while the store does not acknowledge', async () => {
    const store = new RecordingStore();
    const release = store.hold();
    // The plateau: a submitter waits for room (the held write blocks the pipeline) and every
    // worker has read its file and is submitting it. Nothing can move until the release.
    let backpressure = false;
    let readsDone = 0;
    let filesSubmitted = 0;
    let plateau!: () => void;
    const reached = new Promise<void>((r) => (plateau = r));
    const check = () => {
      if (backpressure && readsDone - filesSubmitted === 3) plateau();
    };
    const pipeline = new Pipeline({
      source: 'cloudtrail-files', store, batchRecords: 50, batchMaxAgeMs: 10,
      onBackpressure: () => {
        backpressure = true;
        check();
      },
    });
    let reading = 0;
    let maxReading = 0;
    let reads = 0;
    const slowRead: typeof readLogFile = async (file, source, now, times) => {
      reads++;
      reading++;
      maxReading = Math.max(maxReading, reading);
      await new Promise((r) => setImmediate(r));
      try {
        return await readLogFile(file, source, now, times);
      } finally {
        reading--;
        readsDone++;
        check();
      }
    };
    const run = backfillLogFiles({
      files: walkLogFiles(orgTree.root), pipeline, store: { getCheckpoint: () => Promise.resolve(null) }, concurrency: 3, read: slowRead,
      onFile: () => filesSubmitted++,
    });
    await reached;
    // The store holds the first write: the pipeline fills, submitters wait, and reading stops.
    const readWhileHeld = reads;
    expect(readWhileHeld).toBeLessThan(orgTree.counts.logFiles);
    expect(reading).toBe(0);
    // The plateau is reached: nothing but the release can start a read, not even another turn of the loop.
    await new Promise((r) => setImmediate(r));
    expect(reads).toBe(readWhileHeld);
    release();
    await run;
    await pipeline.close();
    expect(reads).toBe(orgTree.counts.logFiles);
    expect(maxReading).toBe(3);
    const stored = new Set(store.writes.flatMap((w) => (w.auditEvents ?? []).map((e) => e.id)));
    expect(stored.size).toBe(orgTree.counts.kmsEvents);
    expect(store.writes.reduce((n, w) => n + (w.checkpoints?.length ?? 0), 0)).toBe(orgTree.counts.logFiles);
  });
});
