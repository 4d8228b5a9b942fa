/**
 * `npm run demo`: the whole product on the embedded store (or, with `--store elasticsearch`,
 * on a local Elasticsearch node it starts, or a cluster given with `--es-url`). Generates a day of history
 * (with a KMS outage in it) and imports it, starts the ingest service and the dashboard
 * (production build), then keeps live traffic flowing through the intake, with an outage
 * or throttling episode now and then. Ctrl-C stops everything cleanly.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Command, Option } from 'commander';
import { getAuth } from '../lib/auth/keyscope-auth';
import { createLocalUser, resetLocalPassword, UserError } from '../lib/auth/users';
import { openTokenAdminDb } from '../lib/auth/emitter-token-db';
import { createEmitterToken, revokeEmitterToken } from '../lib/auth/emitter-tokens';
import { SERVICES } from '../lib/engine/traffic/topology';
import { startLocalNode, type LocalNode } from '../tools/elasticsearch/local-node';
import { dashboardBuildIsStale } from './demo/build-dashboard';
import { ProcessGroup } from './demo/processes';

const root = resolve(import.meta.dirname, '..');
const program = new Command('demo')
  .description('Run keyscope end to end: ingest service, dashboard and synthetic traffic on the embedded store')
  .option('--port <port>', 'dashboard port', '3000')
  .option('--intake-port <port>', 'ingest intake port', '4318')
  .option('--history <duration>', 'history to back-fill before going live', '24h')
  .option('--history-rate <objects/s>', 'average objects/s in the history', '1')
  .option('--rate <objects/s>', 'average objects/s of the live traffic', '4')
  .option('--keep', 'keep the data of the previous demo instead of starting afresh')
  .addOption(new Option('--store <backend>', 'where the records go').choices(['sqlite', 'elasticsearch']).default('sqlite'))
  .option('--es-url <url>', 'with --store elasticsearch: use this cluster instead of starting a local node')
  .parse();
const opts = program.opts<{ port: string; intakePort: string; history: string; historyRate: string; rate: string; keep?: boolean; store: 'sqlite' | 'elasticsearch'; esUrl?: string }>();

const dir = join(root, '.keyscope', 'demo');
const db = join(dir, 'keyscope.db');
const say = (msg: string) => process.stdout.write(`[demo] ${msg}\n`);
const tsx = (script: string, ...args: string[]) => [process.execPath, ['--import', 'tsx', join(root, script), ...args]] as const;

/** The local KMS key file's root key: made once per demo directory, never printed. */
function rootKey(): string {
  const file = join(dir, 'kms-root.key');
  if (!existsSync(file)) writeFileSync(file, randomBytes(32).toString('base64'), { mode: 0o600 });
  return readFileSync(file, 'utf8').trim();
}

const DEMO_ADMIN = 'admin@keyscope.demo';

/** The demo's admin account in the demo's own auth database, with a fresh random password each run. */
async function demoAdminPassword(authDb: string): Promise<string> {
  const auth = await getAuth({ auth: { dbPath: authDb, secret: null, publicUrl: null, configFile: null } });
  try {
    return (await createLocalUser(auth, { email: DEMO_ADMIN, name: 'Demo admin', role: 'admin' })).password;
  } catch (err) {
    if (err instanceof UserError) return resetLocalPassword(auth, DEMO_ADMIN);
    throw err;
  }
}

/** A fresh emitter token for the demo's traffic generator (the previous run's is revoked): the intake requires tokens. */
function demoTrafficToken(authDb: string): string {
  const tokens = openTokenAdminDb(authDb);
  try {
    revokeEmitterToken(tokens, 'demo-traffic', 'demo');
  } catch {
    // None yet.
  }
  const { token } = createEmitterToken(tokens, { name: 'demo-traffic', services: SERVICES.map((s) => s.name) }, 'demo');
  tokens.close();
  return token;
}

async function main(): Promise<void> {
  const group = new ProcessGroup();
  let node: LocalNode | undefined;
  let shuttingDown = false;
  const shutdown = async (code: number) => {
    if (shuttingDown) return;
    shuttingDown = true;
    say('stopping…');
    await group.stopAll();
    await node?.stop();
    say('stopped.');
    process.exit(code);
  };
  process.on('SIGINT', () => void shutdown(0));
  process.on('SIGTERM', () => void shutdown(0));

  if (!opts.keep) rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, 'logs'), { recursive: true });
  const env = {
    ...process.env,
    NEXT_TELEMETRY_DISABLED: '1',
    KEYSCOPE_SQLITE_PATH: db,
    KEYSCOPE_AUTH_DB: join(dir, 'auth.db'),
    KEYSCOPE_KMS_ROOT_KEY: rootKey(),
    KEYSCOPE_INTAKE_PORT: opts.intakePort,
    KEYSCOPE_CLOUDTRAIL_POLL_MS: '5000',
    KEYSCOPE_ALERT_INTERVAL_MS: '15000',
  };
  // On Elasticsearch the records go to the cluster; --db (a sqlite file) is not passed then.
  const dbFlag: string[] = opts.store === 'sqlite' ? ['--db', db] : [];
  const imported = join(dir, opts.store === 'sqlite' ? 'keyscope.db' : 'elasticsearch-imported');
  if (opts.store === 'elasticsearch') {
    let url = opts.esUrl;
    if (url === undefined) {
      say('starting a local Elasticsearch node (first run builds it with Maven)…');
      node = await startLocalNode({ homeDir: join(dir, 'elasticsearch'), heap: '1g', log: (line) => say(line) });
      url = node.url;
    }
    Object.assign(env, { KEYSCOPE_STORE: 'elasticsearch', KEYSCOPE_ES_NODE: url, KEYSCOPE_ES_INDEX_PREFIX: 'keyscope-demo' });
    say(`records go to Elasticsearch at ${url} (indices keyscope-demo-*)`);
  }
  const kmsState = join(dir, 'kms-keys.json');
  const history = join(dir, 'history');
  const live = join(dir, 'live');

  if (!existsSync(imported)) {
    say(`generating ${opts.history} of history (a KMS outage included)…`);
    await group.run('traffic', ...tsx('scripts/traffic.ts', '--scenario', 'kms-outage', '--duration', opts.history, '--rate', opts.historyRate, '--seed', '1', '--out', history, '--kms-state', kmsState), env);
    say('importing it into the embedded store…');
    await group.run('import', ...tsx('ingest/main.ts', 'import', history, ...dbFlag), env);
    if (opts.store === 'elasticsearch') writeFileSync(imported, new Date().toISOString());
  }

  if (dashboardBuildIsStale(root)) {
    say('building the dashboard (production build, once)…');
    await group.run('next build', join(root, 'node_modules', '.bin', 'next'), ['build'], env);
  }

  const password = await demoAdminPassword(env.KEYSCOPE_AUTH_DB);
  // Through the environment, not a flag: a token on a command line shows in ps.
  Object.assign(env, { KEYSCOPE_INTAKE_TOKEN: demoTrafficToken(env.KEYSCOPE_AUTH_DB) });
  mkdirSync(live, { recursive: true });
  say(`starting the ingest service (intake on 127.0.0.1:${opts.intakePort}, logs in ${join(dir, 'logs')})…`);
  group.start('ingest', ...tsx('ingest/main.ts', 'serve', ...dbFlag, '--watch', live), { env, logFile: join(dir, 'logs', 'ingest.log'), onExit: (c) => (say(`ingest service exited (${c}); see its log`), void shutdown(1)) });
  group.start('dashboard', join(root, 'node_modules', '.bin', 'next'), ['start', '-p', opts.port, '-H', '127.0.0.1'], { env, logFile: join(dir, 'logs', 'dashboard.log'), onExit: (c) => (say(`dashboard exited (${c}); see its log`), void shutdown(1)) });

  say(`live traffic at ${opts.rate} objects/s on average; episodes rotate: steady, kms-outage, steady, throttling`);
  say(`open http://127.0.0.1:${opts.port}/oncall   (Ctrl-C stops everything)`);
  say(`sign in as ${DEMO_ADMIN} with the password ${password}   (new each run; more accounts: KEYSCOPE_AUTH_DB=.keyscope/demo/auth.db npm run users -- create --help)`);
  const episodes = ['steady', 'kms-outage', 'steady', 'throttling'] as const;
  for (let i = 0; !shuttingDown; i++) {
    const scenario = episodes[i % episodes.length]!;
    try {
      await group.run(
        `traffic (${scenario})`,
        ...tsx('scripts/traffic.ts', '--scenario', scenario, '--start', 'now', '--duration', '10m', '--rate', opts.rate, '--seed', String(100 + i), '--out', live, '--intake', `http://127.0.0.1:${opts.intakePort}`, '--kms-state', kmsState, '--no-progress'),
        env,
      );
    } catch (err) {
      if (!shuttingDown) say(`live traffic stopped: ${(err as Error).message}; retrying in 5 s`);
      await new Promise((r) => setTimeout(r, 5000));
    }
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`[demo] ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
