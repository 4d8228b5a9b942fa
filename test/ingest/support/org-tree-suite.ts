import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { writeOrgTree, type OrgTreeCounts } from '../../support/org-trail-tree';
import { generateTree } from './traffic-tree';

export const ORG = 'o-a1b2c3d4e5';
export const ACCOUNTS = ['111122223333', '444455556666', '777788889999'];
export const REGIONS = ['us-east-1', 'eu-west-1'];

/**
 * An organization trail tree (three accounts, two Regions, with S3 records, digest and
 * Insights files) made once for the suite that calls this, and removed after it; read
 * `root` and `counts` inside tests.
 */
export function useOrgTree(): { readonly root: string; readonly counts: OrgTreeCounts } {
  let base: { dir: string; cleanup: () => void } | undefined;
  const tree = { root: '', counts: undefined as unknown as OrgTreeCounts };
  beforeAll(async () => {
    base = await generateTree({ duration: '2m' });
    tree.root = mkdtempSync(join(tmpdir(), 'keyscope-org-'));
    tree.counts = writeOrgTree(join(base.dir, 'AWSLogs'), tree.root, { orgId: ORG, accounts: ACCOUNTS, regions: REGIONS, withS3: true });
  });
  afterAll(() => {
    base?.cleanup();
    if (tree.root !== '') rmSync(tree.root, { recursive: true, force: true });
  });
  return tree;
}
