import type { Client } from '@elastic/elasticsearch';
import { readFileSync } from 'node:fs';
import { loadConfig, type ElasticsearchConfig } from '../../lib/config';
import { createClient } from '../../lib/store/elasticsearch/connect';
import { ELASTICSEARCH_VERSION, startLocalNode } from '../../tools/elasticsearch/local-node';

/** A node for a benchmark: the one at `url` when given, else a local one this process starts and stops (data kept in `homeDir` when given, on `cpus` when given). */
export type BenchNode = { url: string; version: string; heap: string | null; started: boolean; pid: number | null; stop(): Promise<void> };

export async function benchNode(url: string | undefined, heap: string, log: (s: string) => void, homeDir?: string, cpus?: string): Promise<BenchNode> {
  if (url !== undefined) return { url, version: 'external', heap: null, started: false, pid: null, stop: async () => {} };
  const node = await startLocalNode({ heap, log, ...(homeDir === undefined ? {} : { homeDir }), ...(cpus === undefined ? {} : { cpus }) });
  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    log(`stopping the local Elasticsearch node (pid ${node.pid})`);
    await node.stop();
  };
  // Ctrl-C: stop the JVM before exiting (it would also die with our stdin, this is quicker).
  const onSignal = (): void => void stop().then(() => process.exit(130));
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  return { url: node.url, version: ELASTICSEARCH_VERSION, heap, started: true, pid: node.pid, stop };
}

/** The store settings from the environment (bulk bytes, concurrency), pointed at `url` under `indexPrefix`. */
export function benchEsConfig(url: string, indexPrefix: string): ElasticsearchConfig {
  const store = loadConfig({ ...process.env, KEYSCOPE_STORE: 'elasticsearch', KEYSCOPE_ES_NODE: url }).store;
  if (store.backend !== 'elasticsearch') throw new Error('unreachable');
  return { ...store.elasticsearch, indexPrefix };
}

/** The server's version as it reports itself (the local node has no GET /). */
export async function serverVersion(client: Client): Promise<string> {
  const nodes = await client.nodes.info({ node_id: '_local', metric: '_none' });
  return Object.values(nodes.nodes)[0]?.version ?? 'unknown';
}

export { createClient };

/** Documents under a prefix (after a refresh), and removing them. */
export async function countDocs(client: Client, pattern: string): Promise<number> {
  await client.indices.refresh({ index: pattern, ignore_unavailable: true, allow_no_indices: true });
  return (await client.count({ index: pattern, ignore_unavailable: true, allow_no_indices: true })).count;
}

export async function deletePrefix(client: Client, prefix: string): Promise<void> {
  // Wildcard deletes are refused by default (action.destructive_requires_name): name each index.
  const indices = Object.keys(await client.indices.get({ index: `${prefix}-*`, ignore_unavailable: true, allow_no_indices: true, expand_wildcards: 'all' }));
  if (indices.length > 0) await client.indices.delete({ index: indices.join(',') });
  const templates = await client.indices.getIndexTemplate({ name: `${prefix}-*` }).catch(() => ({ index_templates: [] }));
  for (const t of templates.index_templates) await client.indices.deleteIndexTemplate({ name: t.name });
}

/** CPU seconds (user + system) a process has used so far, from /proc (Linux); null where unreadable. */
export function processCpuSeconds(pid: number | null): number | null {
  if (pid === null) return null;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime are fields 14 and 15 of stat (11 and 12 after the command name), in clock ticks (100/s on Linux).
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
}

/** CPU seconds of this process and of the node's JVM over a phase. */
export function cpuMeter(jvmPid: number | null): () => { node: number; jvm: number | null } {
  const n0 = process.cpuUsage();
  const j0 = processCpuSeconds(jvmPid);
  return () => {
    const n = process.cpuUsage(n0);
    const j1 = processCpuSeconds(jvmPid);
    return { node: (n.user + n.system) / 1e6, jvm: j0 === null || j1 === null ? null : j1 - j0 };
  };
}
