import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildLauncher } from './build';

/** The version the pom pins; docs/elasticsearch.md says why this one. */
export const ELASTICSEARCH_VERSION = '8.19.21';

export type LocalNodeOptions = {
  /** HTTP port; a free one when absent. */
  httpPort?: number;
  /** Data directory kept after stop; a throw-away temp directory when absent. */
  homeDir?: string;
  /** JVM heap (-Xms/-Xmx), e.g. '1g'. */
  heap?: string;
  /** How long to wait for the node to answer with a green/yellow cluster. */
  startTimeoutMs?: number;
  log?: (line: string) => void;
  /** Where the node's own log lines go; dropped when absent (they are also in <home>/logs). */
  nodeOutput?: (chunk: string) => void;
  /**
   * CPUs the JVM may run on, as a taskset list ("1", "2-3"); all when absent. Set at
   * start, so that Elasticsearch sizes its thread pools for them (benchmarks that keep the
   * node off the load generator's cores).
   */
  cpus?: string;
};

export type LocalNode = { url: string; version: string; homeDir: string; pid: number; stop(): Promise<void> };

/** A free loopback TCP port (for the node, and for tests that restart one on the same port). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address !== null ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

async function clusterReady(url: string): Promise<boolean> {
  try {
    const res = await fetch(`${url}/_cluster/health?wait_for_status=yellow&timeout=1s`, { signal: AbortSignal.timeout(3000) });
    if (!res.ok) return false;
    const body = (await res.json()) as { status?: string };
    return body.status === 'green' || body.status === 'yellow';
  } catch {
    return false;
  }
}

function javaCommand(): string {
  const home = process.env.JAVA_HOME;
  return home !== undefined && home !== '' ? join(home, 'bin', 'java') : 'java';
}

/**
 * Starts a genuine single Elasticsearch node from Maven Central artifacts on 127.0.0.1 and
 * waits for cluster health. The JVM reads its stdin and exits when it closes, so the node
 * dies with this process even on SIGKILL; stop() closes stdin, waits, and kills after 20 s.
 */
export async function startLocalNode(options: LocalNodeOptions = {}): Promise<LocalNode> {
  const log = options.log ?? (() => {});
  const classpath = buildLauncher({ log });
  const httpPort = options.httpPort ?? (await freePort());
  const transportPort = await freePort();
  const tempHome = options.homeDir === undefined;
  const homeDir = options.homeDir ?? mkdtempSync(join(tmpdir(), 'keyscope-es-'));
  mkdirSync(homeDir, { recursive: true });
  const heap = options.heap ?? '768m';
  const url = `http://127.0.0.1:${httpPort}`;

  const jvmArgs = [
    `-Xms${heap}`, `-Xmx${heap}`,
    // Elasticsearch refuses some JVM defaults; these are the ones its own jvm.options sets.
    '-XX:+UseG1GC', '-Djava.awt.headless=true', '-Dfile.encoding=UTF-8', '-Dlog4j2.formatMsgNoLookups=true',
    '-Des.networkaddress.cache.ttl=60', '-Dio.netty.allocator.type=pooled', '-Dio.netty.noUnsafe=true',
    '-cp', classpath, 'dev.keyscope.elasticsearch.SingleNode', homeDir, String(httpPort), String(transportPort),
  ];
  // taskset execs java in place, so the pid (and stdin) are the JVM's.
  const [command, args] = options.cpus === undefined ? [javaCommand(), jvmArgs] : ['taskset', ['-c', options.cpus, javaCommand(), ...jvmArgs]];
  const child: ChildProcess = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'] });
  const output: string[] = [];
  const keep = (chunk: Buffer): void => {
    const text = chunk.toString('utf8');
    output.push(text);
    if (output.length > 200) output.shift();
    options.nodeOutput?.(text);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  let exited: number | null | undefined;
  const exit = new Promise<void>((resolve) => child.once('exit', (code) => { exited = code; resolve(); }));
  child.once('error', (err) => output.push(`spawn failed: ${err.message}`));

  const stop = async (): Promise<void> => {
    if (exited === undefined) {
      child.stdin?.end();
      const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      await exit;
      clearTimeout(timer);
    }
    if (tempHome) rmSync(homeDir, { recursive: true, force: true });
  };

  const deadline = Date.now() + (options.startTimeoutMs ?? 120_000);
  log(`starting Elasticsearch ${ELASTICSEARCH_VERSION} on ${url} (heap ${heap}, data ${homeDir}${options.cpus === undefined ? '' : `, CPUs ${options.cpus}`})`);
  while (!(await clusterReady(url))) {
    if (exited !== undefined || Date.now() > deadline) {
      await stop();
      const why = exited !== undefined ? `the JVM exited with code ${exited}` : 'it did not report a healthy cluster in time';
      throw new Error(`Elasticsearch did not start: ${why}. Its last output:\n${output.join('').slice(-4000)}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  log(`Elasticsearch ${ELASTICSEARCH_VERSION} is up on ${url}`);
  return { url, version: ELASTICSEARCH_VERSION, homeDir, pid: child.pid ?? -1, stop };
}
