import type { TestProject } from 'vitest/node';
import { startLocalNode, type LocalNode } from '../../tools/elasticsearch/local-node';

declare module 'vitest' {
  export interface ProvidedContext {
    elasticsearchUrl: string;
  }
}

let node: LocalNode | undefined;

/**
 * Global setup of the integration tier: one genuine Elasticsearch node for the run
 * (tools/elasticsearch), shared by every suite; each suite writes under its own random
 * index prefix, so nothing is wiped between them. KEYSCOPE_TEST_ES_URL points the suites
 * at a node that is already running instead (e.g. `npm run dev:es`).
 */
export async function setup(project: TestProject): Promise<void> {
  const given = process.env.KEYSCOPE_TEST_ES_URL;
  if (given !== undefined && given !== '') {
    project.provide('elasticsearchUrl', given);
    return;
  }
  node = await startLocalNode({ heap: '1g', log: (line) => console.log(`[elasticsearch] ${line}`) });
  project.provide('elasticsearchUrl', node.url);
}

export async function teardown(): Promise<void> {
  await node?.stop();
}
