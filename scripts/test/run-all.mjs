#!/usr/bin/env node
// `npm test`: installs what is missing, then every tier in turn (scripts/test/tiers.mjs),
// stopping at the first that fails; prints each tier's time, and the tests' totals last.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TIERS, formatSeconds } from './tiers.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const args = process.argv.slice(2);
const only = args.includes('--only') ? args[args.indexOf('--only') + 1]?.split(',') : null;
const timesFile = args.includes('--times') ? args[args.indexOf('--times') + 1] : null;
if (only) for (const t of only) if (!TIERS.some((x) => x.name === t)) {
  console.error(`unknown tier '${t}': one of ${TIERS.map((x) => x.name).join(', ')}`);
  process.exit(2);
}

const setupStarted = Date.now();
const setup = spawnSync(process.execPath, [join(root, 'scripts', 'setup.mjs'), '--browser'], { cwd: root, stdio: 'inherit' });
if (setup.status !== 0) process.exit(setup.status ?? 1);
const setupMs = Date.now() - setupStarted;

// Each test runner writes its counts here (test/support/summary-reporter.ts, playwright-summary-reporter.ts).
const summaries = mkdtempSync(join(tmpdir(), 'keyscope-test-summary-'));
const times = [];
let failed = null;
for (const tier of TIERS) {
  if (only && !only.includes(tier.name)) continue;
  console.log(`\n[test] ${tier.name}: npm run ${tier.script}`);
  const started = Date.now();
  const r = spawnSync('npm', ['run', '-s', tier.script], {
    cwd: root, stdio: 'inherit', env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1', KEYSCOPE_TEST_SUMMARY_DIR: summaries },
  });
  const ms = Date.now() - started;
  const ok = r.status === 0;
  times.push({ tier: tier.name, ms, ok });
  if (!ok) {
    failed = tier.name;
    break;
  }
}

console.log('\n[test] tier          time        result');
console.log(`[test] ${'(setup)'.padEnd(13)} ${formatSeconds(setupMs)}`);
for (const t of times) console.log(`[test] ${t.tier.padEnd(13)} ${formatSeconds(t.ms).padEnd(11)} ${t.ok ? 'ok' : 'FAILED'}`);
const total = times.reduce((n, t) => n + t.ms, 0);
console.log(`[test] ${'all'.padEnd(13)} ${formatSeconds(total)}`);
if (timesFile) writeFileSync(timesFile, JSON.stringify({ ok: failed === null, failed, setupMs, times }));

const counts = { passed: 0, failed: 0, skipped: 0 };
if (existsSync(summaries)) {
  for (const f of readdirSync(summaries)) {
    const c = JSON.parse(readFileSync(join(summaries, f), 'utf8'));
    for (const k of Object.keys(counts)) counts[k] += c[k] ?? 0;
  }
  rmSync(summaries, { recursive: true, force: true });
}
if (failed !== null) {
  console.log(`[test] ${failed} failed`);
  counts.failed = Math.max(counts.failed, 1);
}
console.log(`\n${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped`);
process.exit(failed === null ? 0 : 1);
