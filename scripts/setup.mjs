#!/usr/bin/env node
// Installs whatever a fresh clone is missing, and nothing twice.
// Plain Node on purpose: it runs before node_modules exists.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const stampDir = join(root, 'node_modules', '.keyscope');

function log(msg) {
  process.stderr.write(`[setup] ${msg}\n`);
}

function run(cmd, args, opts = {}) {
  log(`$ ${cmd} ${args.join(' ')}`);
  const res = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', ...opts });
  if (res.status !== 0) {
    log(`failed: ${cmd} ${args.join(' ')} (exit ${res.status ?? res.signal})`);
    process.exit(res.status ?? 1);
  }
}

function lockHash() {
  return createHash('sha256').update(readFileSync(join(root, 'package-lock.json'))).digest('hex');
}

function ensureNodeModules() {
  const stamp = join(stampDir, 'lock.sha256');
  const want = lockHash();
  if (existsSync(stamp) && readFileSync(stamp, 'utf8') === want) return;
  // Native modules (better-sqlite3) build from source here: their prebuilt binaries live
  // outside the package registries. node-gyp then needs Node's headers, which Debian's
  // nodejs ships under /usr/include/node; point it there instead of downloading them.
  const env = { ...process.env };
  if (!env.npm_config_nodedir && existsSync('/usr/include/node/node.h')) env.npm_config_nodedir = '/usr';
  // `npm install`, not `npm ci`: the registry mirror these machines reach lacks the other
  // platforms' optional binaries (e.g. @next/swc-darwin-arm64 answers 404), so the lockfile
  // cannot list them and `npm ci` refuses it as out of sync. `npm install` still installs
  // exactly the locked versions.
  run('npm', ['install', '--no-audit', '--no-fund'], { env });
  mkdirSync(stampDir, { recursive: true });
  writeFileSync(stamp, lockHash());
}

function has(cmd) {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
}

// Browser tests drive Debian's Chromium (Playwright's own browser download cannot work
// offline). Installed with apt when missing; root on these machines, sudo elsewhere.
function ensureChromium() {
  if (existsSync('/usr/bin/chromium')) return;
  if (!has('apt-get')) {
    log('Chromium is missing and apt-get is not available: install Chromium and set KEYSCOPE_CHROMIUM_PATH');
    process.exit(1);
  }
  const sudo = process.getuid?.() === 0 ? [] : ['sudo'];
  const apt = (...args) => run(sudo[0] ?? 'apt-get', sudo.length ? ['apt-get', ...args] : args, { env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  apt('update', '-q');
  apt('install', '-y', '-q', '--no-install-recommends', 'chromium', 'fonts-dejavu-core');
}

const want = new Set(process.argv.slice(2));
ensureNodeModules();
if (want.has('--browser')) ensureChromium();
log('dependencies ready');
