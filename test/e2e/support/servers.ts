import { spawn, type ChildProcess } from 'node:child_process';
import { openSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

/** The dashboards global setup starts, each over a different store; tests find them here. */
export const SERVER_ENV = {
  data: 'KEYSCOPE_E2E_URL',
  noDatabase: 'KEYSCOPE_E2E_NODB_URL',
  brokenStore: 'KEYSCOPE_E2E_BROKEN_URL',
  /** The same dataset in Elasticsearch (a real node global setup starts). */
  elasticsearch: 'KEYSCOPE_E2E_ES_URL',
} as const;
export type ServerName = keyof typeof SERVER_ENV;
/** The seeded database, for tests that compute what the page should show. */
export const DB_ENV = 'KEYSCOPE_E2E_DB';
/** The Elasticsearch node holding the same dataset, and its index prefix. */
export const ES_NODE_ENV = 'KEYSCOPE_E2E_ES_NODE';
export const ES_INDEX_PREFIX = 'keyscope-e2e';

/** What a dashboard or importer needs in its environment to use the e2e Elasticsearch dataset. */
export function elasticsearchEnv(nodeUrl: string): Record<string, string> {
  return { KEYSCOPE_STORE: 'elasticsearch', KEYSCOPE_ES_NODE: nodeUrl, KEYSCOPE_ES_INDEX_PREFIX: ES_INDEX_PREFIX };
}

export function serverUrl(name: ServerName): string {
  const url = process.env[SERVER_ENV[name]];
  if (!url) throw new Error(`${SERVER_ENV[name]} is not set: run the browser tests with \`npm run test:e2e\` (global setup starts the servers)`);
  return url;
}

export function datasetEsNode(): string {
  const url = process.env[ES_NODE_ENV];
  if (!url) throw new Error(`${ES_NODE_ENV} is not set: run the browser tests with \`npm run test:e2e\``);
  return url;
}

export function datasetDbPath(): string {
  const path = process.env[DB_ENV];
  if (!path) throw new Error(`${DB_ENV} is not set: run the browser tests with \`npm run test:e2e\``);
  return path;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

/** Starts `next start` (the build in .next) with its own store path; logs go to `logDir`. */
export async function startServer(name: string, sqlitePath: string, logDir: string, env: Record<string, string> = {}, port?: number): Promise<{ url: string; proc: ChildProcess }> {
  port ??= await freePort();
  const log = openSync(join(logDir, `server-${name}.log`), 'w');
  const proc = spawn(process.execPath, ['node_modules/next/dist/bin/next', 'start', '-p', String(port), '-H', '127.0.0.1'], {
    cwd: process.cwd(),
    env: { ...process.env, KEYSCOPE_SQLITE_PATH: sqlitePath, NEXT_TELEMETRY_DISABLED: '1', NODE_ENV: 'production', ...env },
    stdio: ['ignore', log, log],
    detached: true,
  });
  const url = `http://127.0.0.1:${port}`;
  await waitUntilUp(url, proc, name);
  return { url, proc };
}

async function waitUntilUp(url: string, proc: ChildProcess, name: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (proc.exitCode !== null) throw new Error(`server ${name} exited with ${proc.exitCode}; see its log under tmp/e2e`);
    try {
      // /healthz answers without a session (every page asks for one); 503 is a server up over a broken store.
      const res = await fetch(`${url}/healthz`);
      if (res.status === 200 || res.status === 503) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`server ${name} did not answer at ${url} within 60 s`);
}

/** Ends a server and everything it started (it leads its own process group). */
export function stopServer(proc: ChildProcess): void {
  if (proc.pid === undefined || proc.exitCode !== null) return;
  try {
    process.kill(-proc.pid, 'SIGTERM');
  } catch {
    // already gone
  }
}
