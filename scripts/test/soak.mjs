#!/usr/bin/env node
// `npm run test:soak -- --runs N`: the whole suite N times in one fresh clone of HEAD (the
// first run installs what a clone lacks, as CI's does), with pass/fail per run and the
// time of each tier. A suite that fails one run in N is flaky: fix it at its cause.
import { spawn, spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TIERS, formatSeconds } from './tiers.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const USAGE = 'usage: npm run test:soak -- [--runs N] [--ref REF] [--keep] [--only tier,tier]';

function parseArgs(argv) {
  const o = { runs: 3, ref: 'HEAD', keep: false, only: null };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) fail(`${a} needs a value`);
      return v;
    };
    if (a === '--runs') o.runs = Number(value());
    else if (a === '--ref') o.ref = value();
    else if (a === '--only') o.only = value();
    else if (a === '--keep') o.keep = true;
    else if (a === '--help' || a === '-h') {
      console.log(USAGE);
      process.exit(0);
    } else fail(`unknown option ${a}`);
  }
  if (!Number.isInteger(o.runs) || o.runs < 1) fail('--runs must be a whole number of at least 1');
  return o;
}

function fail(message) {
  console.error(`test:soak: ${message}\n${USAGE}`);
  process.exit(2);
}

function git(args, cwd = root) {
  const r = spawnSync('git', args, { cwd, encoding: 'utf8' });
  if (r.status !== 0) fail(`git ${args.join(' ')} failed: ${r.stderr.trim()}`);
  return r.stdout.trim();
}

/** One run of `npm test` in the clone, its output in a log file; resolves with its times. */
function runOnce(dir, n, only) {
  const log = join(dir, `soak-run-${n}.log`);
  const times = join(dir, `soak-run-${n}.json`);
  rmSync(times, { force: true });
  const out = createWriteStream(log);
  const args = ['scripts/test/run-all.mjs', '--times', times, ...(only ? ['--only', only] : [])];
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd: dir, env: { ...process.env, CI: 'true' }, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.pipe(out, { end: false });
    child.stderr.pipe(out, { end: false });
    child.on('close', (code) => {
      out.end();
      const result = existsSync(times) ? JSON.parse(readFileSync(times, 'utf8')) : { ok: false, failed: 'setup', setupMs: 0, times: [] };
      resolve({ ...result, ok: code === 0 && result.ok, code, ms: Date.now() - started, log });
    });
  });
}

function tail(file, lines) {
  return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
}

const o = parseArgs(process.argv.slice(2));
const sha = git(['rev-parse', '--verify', `${o.ref}^{commit}`]);
if (o.ref === 'HEAD' && git(['status', '--porcelain', '--untracked-files=no']) !== '') {
  console.log('test:soak: the work tree has uncommitted changes; the soak tests the commit, not them');
}
const dir = mkdtempSync(join(tmpdir(), 'keyscope-soak-'));
git(['clone', '--quiet', '--no-hardlinks', root, dir]);
git(['checkout', '--quiet', '--detach', sha], dir);
console.log(`test:soak: ${o.runs} run(s) of npm test on a fresh clone of ${sha.slice(0, 12)} in ${dir}`);

const results = [];
for (let n = 1; n <= o.runs; n++) {
  const r = await runOnce(dir, n, o.only);
  results.push(r);
  const tiers = r.times.map((t) => `${t.tier} ${formatSeconds(t.ms)}${t.ok ? '' : ' FAILED'}`).join(', ');
  console.log(`run ${n}/${o.runs}: ${r.ok ? 'pass' : `FAIL (${r.failed ?? `exit ${r.code}`})`} in ${formatSeconds(r.ms)}: setup ${formatSeconds(r.setupMs)}, ${tiers}`);
  if (!r.ok) console.log(`  log: ${r.log}\n${tail(r.log, 40).replace(/^/gm, '  | ')}`);
}

const passed = results.filter((r) => r.ok).length;
console.log(`\ntier          min         median      max         (over ${results.length} runs)`);
const median = (xs) => xs.slice().sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
for (const { name } of [...TIERS, { name: 'all' }]) {
  const ms = results.map((r) => (name === 'all' ? r.times.reduce((n, t) => n + t.ms, 0) : r.times.find((t) => t.tier === name)?.ms)).filter((x) => x !== undefined);
  if (ms.length === 0) continue;
  console.log(`${name.padEnd(13)} ${formatSeconds(Math.min(...ms)).padEnd(11)} ${formatSeconds(median(ms)).padEnd(11)} ${formatSeconds(Math.max(...ms))}`);
}
console.log(`\n${passed} of ${results.length} runs passed`);
if (!o.keep && passed === results.length) rmSync(dir, { recursive: true, force: true });
else console.log(`clone kept: ${dir}`);
process.exit(passed === results.length ? 0 : 1);
