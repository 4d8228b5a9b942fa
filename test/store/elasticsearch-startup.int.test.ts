import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { openStore } from '../../lib/store';
import { elasticsearchConfig } from '../conformance/support/backends';

/** A plain HTTP server answering GET / as a cluster of some version would, with or without Elastic's product header. */
async function fakeCluster(version: string, productHeader: boolean): Promise<{ url: string; server: Server }> {
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json', ...(productHeader ? { 'x-elastic-product': 'Elasticsearch' } : {}) });
    res.end(JSON.stringify({ name: 'n', cluster_name: 'c', version: { number: version, build_flavor: 'default' }, tagline: 'You Know, for Search' }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}`, server };
}

const servers: Server[] = [];
afterEach(() => {
  for (const s of servers.splice(0)) s.close();
});
const open = (url: string) => openStore({ backend: 'elasticsearch', elasticsearch: { ...elasticsearchConfig(), nodes: [url] } }, { mode: 'readonly' });

describe('elasticsearch store start-up check', () => {
  it('says the cluster is unreachable and how to start one', async () => {
    await expect(open('http://127.0.0.1:1')).rejects.toThrow(/cannot reach Elasticsearch at http:\/\/127\.0\.0\.1:1 .*npm run dev:es.*KEYSCOPE_ES_NODE/);
  });

  it('refuses a server that is not Elasticsearch', async () => {
    const fake = await fakeCluster('2.17.0', false);
    servers.push(fake.server);
    await expect(open(fake.url)).rejects.toThrow(/is not Elasticsearch/);
  });

  it('refuses a version the client cannot talk to, naming it', async () => {
    const fake = await fakeCluster('7.10.2', true);
    servers.push(fake.server);
    await expect(open(fake.url)).rejects.toThrow(/runs 7\.10\.2; keyscope's client \(8\.19\) talks to 8\.x and 9\.x/);
  });
});

/**
 * The node's JVM is still running: its /proc entry is there, not a zombie (an orphan that
 * exited and waits to be reaped: kill(pid, 0) still succeeds on it), and still this
 * program (pids are reused).
 */
function jvmRunning(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2).charAt(0);
    return state !== 'Z' && state !== 'X' && readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('dev.keyscope.elasticsearch.SingleNode');
  } catch {
    return false; // no such process
  }
}

describe('the local node script', () => {
  it('runs the JVM on the CPUs asked for, and leaves no JVM behind when the process that started it is killed', async () => {
    const root = fileURLToPath(new URL('../..', import.meta.url));
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/support/start-node-child.ts'], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
    const line = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout.setEncoding('utf8').on('data', (c: string) => {
        out += c;
        if (out.includes('\n')) resolve(out.split('\n')[0]!);
      });
      child.on('exit', (code) => reject(new Error(`child exited ${code} before the node started`)));
    });
    const { pid, url } = JSON.parse(line) as { pid: number; url: string };
    expect((await fetch(`${url}/_cluster/health`)).ok).toBe(true);
    // The pid is the JVM's own (taskset execs java), pinned to CPU 0, and Elasticsearch sized itself for one processor.
    expect(readFileSync(`/proc/${pid}/status`, 'utf8')).toMatch(/^Cpus_allowed_list:\s*0$/m);
    expect(readFileSync(`/proc/${pid}/cmdline`, 'utf8')).toContain('dev.keyscope.elasticsearch.SingleNode');
    const os = (await (await fetch(`${url}/_nodes/_local/os`)).json()) as { nodes: Record<string, { os: { allocated_processors: number } }> };
    expect(Object.values(os.nodes)[0]?.os.allocated_processors).toBe(1);
    child.kill('SIGKILL');
    // The JVM is no child of this process, and Node has no pidfd: nothing signals its exit,
    // so wait on its /proc entry (its stdin closes with its parent; it stops within ~20 s).
    await vi.waitFor(() => expect(jvmRunning(pid), `JVM ${pid} outlived its parent`).toBe(false), { timeout: 45_000, interval: 100 });
  }, 180_000);
});
