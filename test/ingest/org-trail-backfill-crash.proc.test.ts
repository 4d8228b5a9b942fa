import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeOrgTree, type OrgTreeCounts } from '../support/org-trail-tree';
import { tempDbPath } from '../support/temp-store';
import { countRows } from './support/db';
import { killAfterWrites, runIngest } from './support/ingest-child';
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
      // The import SIGKILLs itself right after its second store write of audit events, with four files in flight.
      const crashed = await runIngest(args, { ...env, ...killAfterWrites(2, { kind: 'auditEvents' }) });
      expect(crashed.signal, `the import did not crash at the failpoint: ${crashed.stdout}${crashed.stderr}`).toBe('SIGKILL');
      const partial = countRows(db.path, 'audit_events');
      expect(partial).toBeGreaterThan(0);
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
