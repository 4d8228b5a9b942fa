import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeOrgTree, type OrgTreeCounts } from '../support/org-trail-tree';
import { tempDbPath } from '../support/temp-store';
import { countRows } from './support/db';
import { collect, runIngest, spawnIngest } from './support/ingest-child';
import { generateTree } from './support/traffic-tree';

const ORG = 'o-a1b2c3d4e5';
const ACCOUNTS = ['111122223333', '444455556666', '777788889999'];
const REGIONS = ['us-east-1', 'eu-west-1'];

let base: { dir: string; cleanup: () => void };
let org: string;
let counts: OrgTreeCounts;
beforeAll(async () => {
  base = await generateTree({ duration: '2m' });
  org = mkdtempSync(join(tmpdir(), 'keyscope-org-'));
  counts = writeOrgTree(join(base.dir, 'AWSLogs'), org, { orgId: ORG, accounts: ACCOUNTS, regions: REGIONS, withS3: true });
});
afterAll(() => {
  base.cleanup();
  rmSync(org, { recursive: true, force: true });
});

describe('crash and resume of a concurrent backfill', () => {
  it('stores each event once after a SIGKILL mid-import and a rerun', async () => {
    const db = tempDbPath();
    try {
      const args = ['import', org, '--db', db.path, '--json', '--no-progress', '--concurrency', '4'];
      const env = { KEYSCOPE_INGEST_BATCH_RECORDS: '200' };
      const child = spawnIngest(args, env);
      const done = collect(child);
      let finished = false;
      void done.then(() => (finished = true));
      const rows = () => { try { return countRows(db.path, 'audit_events'); } catch { return 0; } };
      while (!finished && rows() === 0) await new Promise((r) => setTimeout(r, 5));
      child.kill('SIGKILL');
      expect((await done).signal).toBe('SIGKILL');
      const partial = rows();
      expect(partial).toBeLessThan(counts.kmsEvents);

      const rerun = await runIngest(args, env);
      expect(rerun.code).toBe(0);
      const summary = JSON.parse(rerun.stdout) as { filesAlreadyImported: number; stored: number; duplicates: number; notKms: number };
      expect(summary.stored + partial).toBe(counts.kmsEvents);
      expect(countRows(db.path, 'audit_events')).toBe(counts.kmsEvents);
      expect(countRows(db.path, 'checkpoints')).toBe(counts.logFiles);
      expect(countRows(db.path, 'dead_letters')).toBe(0);
    } finally {
      db.cleanup();
    }
  });
});
