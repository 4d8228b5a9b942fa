import { describe, expect, it } from 'vitest';
import { tempDbPath } from '../support/temp-store';
import { useOrgTree } from './support/org-tree-suite';
import { countRows } from './support/db';
import { killAfterWrites, runIngest } from './support/ingest-child';

const orgTree = useOrgTree();

describe('crash and resume of a concurrent backfill', () => {
  it('stores each event once after a SIGKILL mid-import and a rerun', async () => {
    const db = tempDbPath();
    try {
      const args = ['import', orgTree.root, '--db', db.path, '--json', '--no-progress', '--concurrency', '4'];
      const env = { KEYSCOPE_INGEST_BATCH_RECORDS: '200' };
      // The import SIGKILLs itself right after its second store write of audit events, with four files in flight.
      const crashed = await runIngest(args, { ...env, ...killAfterWrites(2, { kind: 'auditEvents' }) });
      expect(crashed.signal, `the import did not crash at the failpoint: ${crashed.stdout}${crashed.stderr}`).toBe('SIGKILL');
      const partial = countRows(db.path, 'audit_events');
      expect(partial).toBeGreaterThan(0);
      expect(partial).toBeLessThan(orgTree.counts.kmsEvents);

      const rerun = await runIngest(args, env);
      expect(rerun.code).toBe(0);
      const summary = JSON.parse(rerun.stdout) as { filesAlreadyImported: number; stored: number; duplicates: number; notKms: number };
      expect(summary.stored + partial).toBe(orgTree.counts.kmsEvents);
      expect(countRows(db.path, 'audit_events')).toBe(orgTree.counts.kmsEvents);
      expect(countRows(db.path, 'checkpoints')).toBe(orgTree.counts.logFiles);
      expect(countRows(db.path, 'dead_letters')).toBe(0);
    } finally {
      db.cleanup();
    }
  });
});
