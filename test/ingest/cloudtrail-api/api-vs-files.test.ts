import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planImport } from '../../../ingest/import/import-plan';
import { runImport } from '../../../ingest/import/run-import';
import { silentLogger } from '../../../ingest/log';
import { openTempStore } from '../../support/temp-store';
import { readTrail } from '../../support/traffic-run';
import { query } from '../support/db';
import { countTree, generateTree } from '../support/traffic-tree';
import { makePoller, PROFILES, startHarness, type Harness } from './support/harness';

// The engine's local KMS writes the trail of a few minutes of traffic; the same records reach
// keyscope once through LookupEvents (served by the wire server) and once as trail files.
let tree: { dir: string; cleanup: () => void };
let h: Harness;
beforeAll(async () => {
  tree = await generateTree({ duration: '3m', scenario: 'rotation' });
  h = await startHarness();
});
afterAll(async () => {
  await h.close();
  tree.cleanup();
});

type Row = { id: string; time_ms: number; event_name: string; key_arn: string | null; principal_arn: string | null; error_code: string | null; doc: string };
const rows = (dbPath: string) => query<Row>(dbPath, 'SELECT id, time_ms, event_name, key_arn, key_id, principal_arn, source_ip, error_code, success, doc FROM audit_events ORDER BY id');

describe('the same traffic through LookupEvents and through trail files', () => {
  it('stores the identical set of events, field for field', async () => {
    const records = readTrail(tree.dir);
    const expected = countTree(tree.dir).kmsEvents;
    expect(records.length).toBeGreaterThan(100);
    // The local KMS's account; the traffic's region.
    expect(new Set(records.map((r) => `${String(r.recipientAccountId)}/${String(r.awsRegion)}`))).toEqual(new Set([`${PROFILES.prod!.accountId}/eu-west-1`]));
    h.server.publish(records);

    const newest = Math.max(...records.map((r) => Date.parse(String(r.eventTime))));
    const p = makePoller(h, [{ profile: 'prod', region: 'eu-west-1' }], { backfillDays: 1, now: () => newest + 60_000 });
    expect((await p.poller.runOnce())[0]!.status).toBe('done');
    await p.close();

    const files = await openTempStore();
    try {
      const summary = await runImport({ plan: await planImport(tree.dir), store: files.store, logger: silentLogger(), batchRecords: 500, batchMaxAgeMs: 20 });
      expect(summary.deadLettered).toBe(0);
      const viaApi = rows(h.dbPath);
      const viaFiles = rows(files.path);
      expect(viaApi).toHaveLength(expected);
      expect(viaApi.map((r) => r.id)).toEqual(viaFiles.map((r) => r.id));
      // Every column, the stored document (normalized event and raw record) included.
      expect(viaApi).toEqual(viaFiles);
    } finally {
      await files.cleanup();
    }
  });
});
