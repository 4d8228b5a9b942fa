/**
 * `npm run bench:engine`: envelope engine throughput beside raw AES-256-GCM on the same
 * payloads, in one bench run.
 *
 * Engine APIs measured:
 *   encryptObject       seals into one envelope buffer (header, IV, ciphertext, tag);
 *   encryptObjectParts  the same envelope as the pieces the cipher produced, for callers
 *                       that write with writev / streams (no copy of the payload);
 *   decryptObject       opens an envelope buffer.
 * Each call emits its KeyOperations (and, per object, a DekRecord) to a sink that counts
 * them, and gets DEKs from a local KMS (no injected latency).
 *
 * Baselines, on the same payloads:
 *   raw        encrypt: createCipheriv('aes-256-gcm') / update / final / getAuthTag with a
 *              fresh randomBytes(12) IV, output left in pieces; decrypt: createDecipheriv
 *              / setAAD / setAuthTag / update / final of the engine's own messages (views
 *              of IV, header AAD, ciphertext and tag into the same envelope buffers, with
 *              each one's DEK), so that both read the same bytes in the same memory;
 *   raw+frame  the raw encrypt plus joining IV, ciphertext and tag into one buffer, which
 *              a message stored as one buffer needs.
 * Like for like: encryptObjectParts vs raw (both leave pieces), encryptObject vs raw+frame
 * (both produce one buffer), decryptObject vs raw.
 *
 * Methods (`--method`):
 *   isolated (default)  each engine API and its baseline side by side in fresh processes
 *       of their own (./pair-process.ts): rounds of one timed run of --budget-ms each,
 *       alternating, a forced young-generation GC before each (../lib/gc.ts), one
 *       discarded round. A process's ratio is the median of its per-round ratios; the
 *       figure reported is the median over --processes processes, with the lowest and
 *       highest. Why: at 64 KiB and up about half of a call is memory management whose
 *       cost depends on the heap and allocator state of the process (pair-process.ts):
 *       the same case differs by up to ±10% from one fresh process to the next, and pays
 *       for what other cases in its process left behind, while two cases side by side in
 *       one fresh process agree within 1–2% when they do the same work.
 *   shared  all six cases of a size and policy in this process, rounds rotated, the same
 *       young-generation GC before each run, one discarded round; ratios are medians of
 *       per-round ratios. Kept to show the cross-case effect (docs/benchmarks.md).
 *
 * `--single-threaded-gc` runs with that V8 flag: all GC work on the main thread, counted
 * in the wall-clock figures, with no GC helper threads competing for the cores.
 */
import { Command, InvalidArgumentError, Option } from 'commander';
import { SingleBar } from 'cli-progress';
import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { minorGc } from '../lib/gc';
import { compareRounds, fmtRate, mb, median, medianRate, pairedRatio, type Rate } from '../lib/measure';
import { benchKms, buildCases, COMPARISONS, countingSink, type Comparison, type DekPolicyName } from './cases';

function positiveInt(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError('a positive integer');
  return n;
}
const sizeList = (v: string): number[] => v.split(',').map(positiveInt);
function policyList(v: string): DekPolicyName[] {
  return v.split(',').map((p) => {
    if (p !== 'cached' && p !== 'per-object') throw new InvalidArgumentError(`cached and/or per-object, comma-separated (not ${p})`);
    return p;
  });
}

const opts = new Command('bench:engine')
  .addOption(new Option('--method <method>', 'isolated: each API and its baseline in fresh processes of their own; shared: all cases in this process').choices(['isolated', 'shared']).default('isolated'))
  .option('--processes <n>', 'isolated: fresh processes per API, size and policy', positiveInt, 3)
  .option('--rounds <n>', 'timed runs per case (per process, with --method isolated)', positiveInt, 9)
  .option('--budget-ms <ms>', 'length of each timed run', positiveInt, 250)
  .option('--sizes <bytes,...>', 'payload sizes in bytes', sizeList, [1024, 65536, 1048576])
  .option('--policies <names>', 'DEK policies: cached and/or per-object', policyList, ['cached', 'per-object'] as DekPolicyName[])
  .option('--single-threaded-gc', 'all GC on the main thread (V8 flag), in this process and every child')
  .parse()
  .opts<{ method: 'isolated' | 'shared'; processes: number; rounds: number; budgetMs: number; sizes: number[]; policies: DekPolicyName[]; singleThreadedGc?: boolean }>();

const { processes: PROCESSES, rounds: ROUNDS, budgetMs: BUDGET_MS, sizes: SIZES, policies: POLICIES } = opts;
const PAIR_PROCESS = fileURLToPath(new URL('./pair-process.ts', import.meta.url));

type Ratio = ReturnType<typeof pairedRatio>;

/** One engine API against its baseline, for one size and policy. */
interface Row {
  size: number;
  policy: DekPolicyName;
  cmp: Comparison;
  engine: Rate;
  baseline: Rate;
  ratio: Ratio;
  cpuRatio: number;
}

interface PairRounds {
  engine: Rate[];
  baseline: Rate[];
}

/** One fresh node (same loader and flags as this one) running one engine API and its baseline. */
function pairInChild(cmp: Comparison, size: number, policy: DekPolicyName): Promise<PairRounds> {
  const args = [...process.execArgv, PAIR_PROCESS, cmp.engine, cmp.baseline, String(size), policy, String(ROUNDS), String(BUDGET_MS)];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`${cmp.engine} vs ${cmp.baseline}, ${size} B ${policy}: child exited ${code}: ${err.trim()}`));
      resolve(JSON.parse(out.trim().split('\n').pop()!) as PairRounds);
    });
  });
}

/** The isolated method: per API, PROCESSES fresh processes; each gives its median paired ratio. */
async function isolatedRows(size: number, policy: DekPolicyName, tick: (what: string) => void): Promise<Row[]> {
  const runs = new Map<Comparison, PairRounds[]>(COMPARISONS.map((c) => [c, []]));
  // Process p of every API before process p + 1 of any: drift over the bench hits all alike.
  for (let p = 0; p < PROCESSES; p++) {
    for (const cmp of COMPARISONS) {
      tick(`${label(size)} ${policy} ${cmp.engine}`);
      runs.get(cmp)!.push(await pairInChild(cmp, size, policy));
    }
  }
  return COMPARISONS.map((cmp) => {
    const procs = runs.get(cmp)!;
    const perProcess = procs.map((x) => pairedRatio(x.engine, x.baseline).median);
    return {
      size, policy, cmp,
      engine: medianRate(procs.flatMap((x) => x.engine)),
      baseline: medianRate(procs.flatMap((x) => x.baseline)),
      ratio: { median: median(perProcess), min: Math.min(...perProcess), max: Math.max(...perProcess) },
      cpuRatio: median(procs.map((x) => pairedRatio(x.engine, x.baseline, true).median)),
    };
  });
}

/** The shared method: all cases of a size and policy in this process. */
async function sharedRows(size: number, policy: DekPolicyName, tick: (what: string) => void): Promise<Row[]> {
  const { kms, keyArn } = await benchKms();
  const { cases, dispose } = await buildCases(kms, keyArn, size, policy);
  tick(`${label(size)} ${policy} (all cases)`);
  const res = await compareRounds(cases, size, { rounds: ROUNDS, budgetMs: BUDGET_MS, beforeEach: minorGc, discardFirstRound: true });
  dispose();
  const r = res.rounds;
  return COMPARISONS.map((cmp) => ({
    size, policy, cmp, engine: res.median[cmp.engine]!, baseline: res.median[cmp.baseline]!,
    ratio: pairedRatio(r[cmp.engine]!, r[cmp.baseline]!), cpuRatio: pairedRatio(r[cmp.engine]!, r[cmp.baseline]!, true).median,
  }));
}

const label = (s: number) => (s >= 1024 * 1024 ? `${s / 1024 / 1024} MiB` : s >= 1024 ? `${s / 1024} KiB` : `${s} B`);

function report(rows: Row[], seconds: number): string {
  const lines = [
    `| payload | DEK policy | op · engine API | engine ops/s | engine MB/s | baseline | baseline ops/s | baseline MB/s | engine/baseline | by CPU time |`,
    `|---|---|---|---:|---:|---|---:|---:|---:|---:|`,
    ...rows.map(
      (x) =>
        `| ${label(x.size)} | ${x.policy} | ${x.cmp.op} | ${fmtRate(x.engine.opsPerSec)} | ${mb(x.engine.bytesPerSec)} | ${x.cmp.like} | ${fmtRate(x.baseline.opsPerSec)} | ${mb(x.baseline.bytesPerSec)} | ` +
        `**${x.ratio.median.toFixed(2)}** (${x.ratio.min.toFixed(2)}–${x.ratio.max.toFixed(2)}) | ${x.cpuRatio.toFixed(2)} |`,
    ),
  ];
  const summary = rows
    .filter((x) => x.size >= 64 * 1024 && x.policy === 'cached')
    .map((x) => `  ${label(x.size).padEnd(7)} ${x.cmp.op.padEnd(30)} engine/${x.cmp.like.padEnd(9)} ${x.ratio.median.toFixed(2)} ${x.ratio.median >= 0.9 ? '≥ 0.9' : '< 0.9'}  (range ${x.ratio.min.toFixed(2)}–${x.ratio.max.toFixed(2)}, by CPU time ${x.cpuRatio.toFixed(2)})`);
  const how =
    opts.method === 'isolated'
      ? `method isolated: each API with its baseline in ${PROCESSES} fresh processes, each ${ROUNDS} alternating rounds of ${BUDGET_MS} ms per case after one discarded; ` +
        `rates are medians of all rounds; a ratio is the median over processes of each process's median per-round ratio (lowest–highest process)`
      : `method shared: all cases in one process, ${ROUNDS} rotated rounds of ${BUDGET_MS} ms per case after one discarded, ${minorGc ? 'a young-generation GC forced between runs' : 'no forced GC'}; ` +
        `rates are medians of rounds, ratios medians of per-round ratios (lowest–highest round)`;
  return (
    `Envelope engine vs raw AES-256-GCM (node ${process.version}${opts.singleThreadedGc ? ' --single-threaded-gc' : ''}; ${how})\n\n` +
    `${lines.join('\n')}\n\n64 KiB+ with a cached DEK:\n${summary.length ? summary.join('\n') : '  (none in this run)'}\n\n(${seconds.toFixed(0)} s${opts.method === 'shared' ? `, ${countingSink.count.toLocaleString('en-US')} events emitted` : ''})\n`
  );
}

async function main(): Promise<void> {
  // The flag must be on the node command line (V8 reads it at start): re-exec with it.
  if (opts.singleThreadedGc && !process.execArgv.includes('--single-threaded-gc')) {
    const child = spawnSync(process.execPath, [...process.execArgv, '--single-threaded-gc', ...process.argv.slice(1)], { stdio: 'inherit' });
    process.exit(child.status ?? 1);
  }
  const t0 = Date.now();
  const steps = SIZES.length * POLICIES.length * (opts.method === 'isolated' ? PROCESSES * COMPARISONS.length : 1);
  const bar = new SingleBar({ stream: process.stderr, format: 'bench:engine [{bar}] {value}/{total} | {what} | ETA {eta_formatted}', hideCursor: true, fps: 5 });
  bar.start(steps, 0, { what: '' });
  let done = 0;
  const tick = (what: string) => bar.update(done++, { what });
  const rows: Row[] = [];
  for (const size of SIZES) {
    for (const policy of POLICIES) rows.push(...(await (opts.method === 'isolated' ? isolatedRows : sharedRows)(size, policy, tick)));
  }
  bar.update(steps, { what: 'done' });
  bar.stop();
  process.stdout.write(report(rows, (Date.now() - t0) / 1000));
}

main().catch((e: unknown) => {
  process.stderr.write(`bench:engine: ${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});
