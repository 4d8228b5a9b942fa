import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { startLocalNode } from '../../tools/elasticsearch/local-node';
import { ensureTraffic, loadDataset, loadDatasetInto } from './support/dataset';
import { DB_ENV, ES_NODE_ENV, SERVER_ENV, elasticsearchEnv, startServer, stopServer } from './support/servers';
import { authEnv, newAuthSecret, prepareAuthDb, seedRoleSessions } from './support/sign-in';

/**
 * Once per run: the seeded database, the same data in a real Elasticsearch node, one
 * production build, four servers (seeded SQLite, seeded Elasticsearch, no database yet,
 * unreadable store) and a signed-in account per role. KEYSCOPE_E2E_SKIP_BUILD=1 reuses .next when
 * iterating on tests alone.
 */
export default async function globalSetup(): Promise<() => Promise<void>> {
  let stopNode: (() => Promise<void>) | undefined;
  try {
    return await setUp((stop) => (stopNode = stop));
  } catch (err) {
    // A failed setup must not leave a JVM behind.
    await stopNode?.();
    throw err;
  }
}

async function setUp(onNode: (stop: () => Promise<void>) => void): Promise<() => Promise<void>> {
  const started = Date.now();
  const cacheDir = resolve('tmp/e2e');
  const runDir = join(cacheDir, `run-${process.pid}`);
  mkdirSync(runDir, { recursive: true });
  const step = (what: string) => console.log(`[e2e setup] ${what} (${((Date.now() - started) / 1000).toFixed(1)} s)`);

  // The node boots while the database loads and the build runs.
  const esNode = startLocalNode({ heap: '1g', log: (line) => console.log(`[e2e setup] elasticsearch: ${line}`) });
  onNode(async () => (await esNode.catch(() => undefined))?.stop());
  const traffic = ensureTraffic(cacheDir);
  step('traffic ready');
  const db = join(runDir, 'keyscope.db');
  loadDataset(traffic, db);
  step('database loaded with the ingest importer');

  if (process.env.KEYSCOPE_E2E_SKIP_BUILD !== '1') {
    const r = spawnSync(process.execPath, ['node_modules/next/dist/bin/next', 'build'], { stdio: 'inherit', env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' } });
    if (r.status !== 0) throw new Error('next build failed');
    step('next build done');
  }

  const es = await esNode;
  const esEnv = elasticsearchEnv(es.url);
  loadDatasetInto(traffic, esEnv);
  step(`Elasticsearch ${es.version} loaded with the ingest importer`);

  const broken = join(runDir, 'broken.db');
  writeFileSync(broken, 'this is not a sqlite database\n'.repeat(200));
  // One auth database for all servers, so one signed-in state per role serves them all.
  const authDb = join(runDir, 'auth.db');
  const secret = newAuthSecret();
  const auth = authEnv(authDb, secret);
  await prepareAuthDb(authDb, secret);
  const servers = await Promise.all([
    startServer('data', db, runDir, auth),
    startServer('no-database', join(runDir, 'missing', 'keyscope.db'), runDir, auth),
    startServer('broken-store', broken, runDir, auth),
    startServer('elasticsearch', join(runDir, 'unused.db'), runDir, { ...auth, ...esEnv }),
  ]);
  process.env[SERVER_ENV.data] = servers[0].url;
  process.env[SERVER_ENV.noDatabase] = servers[1].url;
  process.env[SERVER_ENV.brokenStore] = servers[2].url;
  process.env[SERVER_ENV.elasticsearch] = servers[3].url;
  process.env[DB_ENV] = db;
  process.env[ES_NODE_ENV] = es.url;
  step(`servers up: ${servers.map((s) => s.url).join(', ')}`);
  await seedRoleSessions(runDir, authDb, secret, servers[0].url);
  step('one account per role, signed in');

  return async () => {
    for (const s of servers) stopServer(s.proc);
    await es.stop();
    rmSync(runDir, { recursive: true, force: true });
  };
}
