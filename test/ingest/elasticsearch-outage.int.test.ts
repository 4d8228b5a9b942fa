import { Client } from '@elastic/elasticsearch';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, startLocalNode, type LocalNode } from '../../tools/elasticsearch/local-node';
import { collect, killAfterWrites, spawnIngest } from './support/ingest-child';
import { countTree, generateTree, type TreeCounts } from './support/traffic-tree';

/*
 * The ingest service against an Elasticsearch node that goes away mid-import: it must
 * wait, retry, and finish with every record stored exactly once. This suite runs its own
 * node (the shared one must stay up for the others) and restarts it on the same port
 * and data directory, as a cluster restart would look to the client.
 */
let tree: { dir: string; cleanup: () => void };
let expected: TreeCounts;
let home: string;
let port: number;
let node: LocalNode | undefined;

beforeAll(async () => {
  tree = await generateTree({ duration: '12m' });
  expected = countTree(tree.dir);
  home = mkdtempSync(join(tmpdir(), 'keyscope-es-outage-'));
  port = await freePort();
  node = await startLocalNode({ httpPort: port, homeDir: home, heap: '512m' });
});
afterAll(async () => {
  await node?.stop();
  tree.cleanup();
  rmSync(home, { recursive: true, force: true });
});

describe('import into Elasticsearch while the node restarts', () => {
  it('waits for the node, retries, and stores every record once', async () => {
    const url = `http://127.0.0.1:${port}`;
    const prefix = 'ks-outage';
    const env = {
      KEYSCOPE_STORE: 'elasticsearch', KEYSCOPE_ES_NODE: url, KEYSCOPE_ES_INDEX_PREFIX: prefix,
      // Small batches: many bulk requests, so the outage lands in the middle of the import.
      KEYSCOPE_INGEST_BATCH_RECORDS: '50', KEYSCOPE_LOG_LEVEL: 'warn',
    };
    const client = new Client({ node: url });
    // The importer pauses itself (SIGSTOP) after its 4th acknowledged write and says so on
    // stderr; the node goes away while it is paused; the importer resumes, finds it gone and
    // says it retries: the node comes back then. Each step waits on the importer's word.
    const child = spawnIngest(['import', tree.dir, '--json', '--no-progress'], { ...env, ...killAfterWrites(4, { signal: 'SIGSTOP' }) });
    const done = collect(child);
    let finished = false;
    void done.then(() => (finished = true));
    let stderr = '';
    const waiters: Array<() => void> = [];
    child.stderr.on('data', (c: Buffer | string) => {
      stderr += String(c);
      for (const w of waiters) w();
    });
    const said = (pattern: RegExp) => new Promise<void>((resolve) => {
      const check = () => {
        if (pattern.test(stderr)) resolve();
      };
      waiters.push(check);
      check();
    });
    const paused = said(/failpoint: SIGSTOP after 4 writes/);
    const retrying = said(/Elasticsearch.*retry/i);
    await Promise.race([paused, done]);
    expect(finished, 'the import ended before the outage could start').toBe(false);

    await node!.stop();
    child.kill('SIGCONT');
    await Promise.race([retrying, done]);
    expect(finished, 'the import gave up while the node was down').toBe(false);
    node = await startLocalNode({ httpPort: port, homeDir: home, heap: '512m' });

    const result = await done;
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/Elasticsearch.*retry/i);
    await client.indices.refresh({ index: `${prefix}-*` });
    const count = async (index: string) => (await client.count({ index })).count;
    expect(await count(`${prefix}-audit-events`)).toBe(expected.kmsEvents);
    expect(await count(`${prefix}-key-operations`)).toBe(expected.operations);
    expect(await count(`${prefix}-dek-records`)).toBe(expected.dekRecords);
    expect(await count(`${prefix}-dead-letters`).catch(() => 0)).toBe(0);
    await client.close();
  }, 240_000);
});
