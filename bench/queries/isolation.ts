/**
 * `npm run bench:queries:isolation -- --ops=1000000 [--store=elasticsearch]`: does one heavy
 * question starve the others? The on-call page's questions for its default range (24h:
 * every on-call question, fetched at once as the page does) are timed alone, then while a
 * 366-day latency-percentile request runs back to back, in alternating phases (alone,
 * heavy, alone, heavy) so drift hits both. Target: the page's latency during the heavy
 * request at most 2× its latency alone. Also printed: the event loop's longest stall in
 * each phase, and the raw baseline of the heavy read, on SQLite the same SQL run
 * synchronously on this thread (what the dashboard did before the read pool: the loop is
 * blocked that long), on Elasticsearch the heavy search alone.
 *
 * Data: the same N operations over 30 days as bench:queries (bench/queries/dataset.ts),
 * reused from bench/results/ when present. Elasticsearch: a local node this process
 * starts (`--es-heap=2g`, data under bench/results/elasticsearch-<N>/), or `--es-url=`.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import { DEFAULT_SLOS } from '../../lib/detect/slo-config';
import { planFor } from '../../lib/questions/buckets';
import { latencyPercentilesQuestion, type LatencyPercentilesParams } from '../../lib/questions/latency-percentiles/definition';
import { openStore } from '../../lib/store';
import { latencyRunsSql } from '../../lib/questions/latency-percentiles/sqlite-sql';
import type { Store } from '../../lib/store/types';
import { benchEsConfig, benchNode, countDocs, createClient, serverVersion } from '../lib/elasticsearch';
import { median } from '../lib/measure';
import { DAY, END, RESULTS_DIR, arg, buildSqlite, load, sqlitePath } from './dataset';
import { failureBreakdown, filterValues, ingestHealth, kmsThrottling, latencyPercentiles, sliSeries, sloStatus } from '../../lib/questions/registry';

const N = Number(arg('ops') ?? 1_000_000);
const STORE = arg('store') ?? 'sqlite';
/** Page loads per phase, and phases of each kind. */
const LOADS = Number(arg('loads') ?? 15);
const PHASES = 2;

const iso = (ms: number): string => new Date(ms).toISOString();
const day = { from: iso(END - DAY), to: iso(END) };
/**
 * The i-th heavy request: 366 days ending i days after END, so that each covers all the data yet is a new
 * request (Elasticsearch's shard request cache would answer a repeat in milliseconds).
 */
const heavyParams = (i = 0): LatencyPercentilesParams =>
  latencyPercentilesQuestion.params.parse({ from: iso(END + i * DAY - 366 * DAY), to: iso(END + i * DAY) });

/** The on-call page's questions for its default range, as it asks them. */
function pageQuestions(store: Store): Record<string, () => Promise<unknown>> {
  const now = iso(END);
  const q: Record<string, () => Promise<unknown>> = {
    'sliSeries (unwrap success)': () => store.answer(sliSeries, { ...day, sli: 'unwrap_success', filters: {} } as never),
    'sliSeries (cache hit)': () => store.answer(sliSeries, { ...day, sli: 'cache_hit', filters: {} } as never),
    'latencyPercentiles (24h)': () => store.answer(latencyPercentiles, latencyPercentilesQuestion.params.parse(day)),
    'failureBreakdown (errorClass)': () => store.answer(failureBreakdown, { ...day, by: 'errorClass', limit: 10, filters: {} } as never),
    kmsThrottling: () => store.answer(kmsThrottling, { ...day, filters: {} } as never),
    ingestHealth: () => store.answer(ingestHealth, { ...day, latest: 20, now } as never),
    filterValues: () => store.answer(filterValues, { ...day, limit: 200 } as never),
  };
  for (const slo of DEFAULT_SLOS) q[`sloStatus (${slo.id})`] = () => store.answer(sloStatus, { slo, now } as never);
  return q;
}

type Phase = { page: number[]; each: Record<string, number[]>; stallMs: number };

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const t = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - t) / 1e6;
}

/**
 * LOADS page loads (every question at once, as the page fetches them), then LOADS rounds
 * of each question on its own (its latency without the page's other questions queued beside it).
 */
async function phase(questions: Record<string, () => Promise<unknown>>): Promise<Phase> {
  const loop = monitorEventLoopDelay({ resolution: 5 });
  loop.enable();
  const each: Record<string, number[]> = Object.fromEntries(Object.keys(questions).map((k) => [k, []]));
  const page: number[] = [];
  for (let i = 0; i < LOADS; i++) page.push(await timed(() => Promise.all(Object.values(questions).map((fn) => fn()))));
  for (let i = 0; i < LOADS; i++) for (const [k, fn] of Object.entries(questions)) each[k]!.push(await timed(fn));
  loop.disable();
  return { page, each, stallMs: loop.max / 1e6 };
}

let heavyCount = 0;

/** Runs the heavy request back to back until `stop` resolves; returns each run's ms. */
function heavyLoop(store: Store, before?: () => Promise<unknown>): { runs: number[]; started: Promise<void>; stop: () => Promise<void> } {
  const runs: number[] = [];
  let stopped = false;
  let markStarted!: () => void;
  const started = new Promise<void>((r) => (markStarted = r));
  const done = (async () => {
    while (!stopped) {
      await before?.();
      const t = process.hrtime.bigint();
      const p = store.answer(latencyPercentiles, heavyParams(++heavyCount));
      markStarted();
      await p;
      runs.push(Number(process.hrtime.bigint() - t) / 1e6);
    }
  })();
  return { runs, started, stop: async () => { stopped = true; await done; } };
}

async function measure(store: Store, beforeHeavy?: () => Promise<unknown>): Promise<{ alone: Phase[]; during: Phase[]; heavy: number[] }> {
  const questions = pageQuestions(store);
  await phase(questions); // warm-up, dropped
  const alone: Phase[] = [];
  const during: Phase[] = [];
  const heavy: number[] = [];
  for (let i = 0; i < PHASES; i++) {
    alone.push(await phase(questions));
    const h = heavyLoop(store, beforeHeavy);
    await h.started;
    during.push(await phase(questions));
    await h.stop();
    heavy.push(...h.runs);
  }
  return { alone, during, heavy };
}

function report(title: string[], r: { alone: Phase[]; during: Phase[]; heavy: number[] }): string {
  const pooled = (ps: Phase[], k?: string): number[] => ps.flatMap((p) => (k === undefined ? p.page : p.each[k]!));
  const names = Object.keys(r.alone[0]!.each);
  const row = (label: string, a: number[], d: number[]): string =>
    `| ${label} | ${median(a).toFixed(1)} | ${median(d).toFixed(1)} | ${(median(d) / median(a)).toFixed(2)} |`;
  const pageRatio = median(pooled(r.during)) / median(pooled(r.alone));
  const worst = Math.max(...names.map((k) => median(pooled(r.during, k)) / median(pooled(r.alone, k))));
  return [
    ...title,
    `heavy request: latencyPercentiles over 366 days, median ${median(r.heavy).toFixed(0)} ms (${r.heavy.length} runs back to back during the heavy phases)`,
    `event loop's longest stall: alone ${Math.max(...r.alone.map((p) => p.stallMs)).toFixed(1)} ms, during the heavy request ${Math.max(...r.during.map((p) => p.stallMs)).toFixed(1)} ms`,
    '',
    `| question (24h unless named) | alone, median ms | during the 366-day request, median ms | ratio |`,
    '|---|---:|---:|---:|',
    row(`**the page: every question at once (${LOADS * PHASES} loads)**`, pooled(r.alone), pooled(r.during)),
    ...names.map((k) => row(k, pooled(r.alone, k), pooled(r.during, k))),
    '',
    `page ratio ${pageRatio.toFixed(2)}, largest question ratio ${worst.toFixed(2)}: ${Math.max(pageRatio, worst) <= 2 ? 'within' : 'OVER'} the 2× target`,
  ].join('\n');
}

async function mainSqlite(): Promise<void> {
  if (!existsSync(sqlitePath(N))) await buildSqlite(N);
  // Raw baseline: the heavy read as the dashboard ran it before the pool, on this thread.
  const raw = new Database(sqlitePath(N), { readonly: true });
  const plan = planFor(heavyParams());
  const q = latencyRunsSql('unwrap', {}, plan.fromMs, plan.toMs, plan.bucketMs);
  const sync = await timed(async () => {
    const values = raw.prepare(q.sql).raw(true).all(q.params).map((r) => (r as number[])[1]!);
    Float64Array.from(values).sort();
  });
  raw.close();
  const store = await openStore({ backend: 'sqlite', sqlitePath: sqlitePath(N) }, { mode: 'readonly' });
  const r = await measure(store);
  await store.close();
  process.stdout.write(report([
    `Isolation on SQLite, ${N.toLocaleString('en-US')} key operations over 30 days (read pool: 2 light workers, 1 heavy at nice 10)`,
    `raw baseline: the 366-day percentile read synchronously on this thread (the loop blocked throughout): ${sync.toFixed(0)} ms`,
  ], r) + '\n');
}

async function mainElasticsearch(): Promise<void> {
  const log = (s: string) => process.stderr.write(`${s}\n`);
  const url = arg('es-url');
  const home = join(RESULTS_DIR, `elasticsearch-${N}`);
  const node = await benchNode(url, arg('es-heap') ?? '2g', log, url === undefined ? home : undefined);
  try {
    const prefix = `benchq${N}`;
    const cfg = benchEsConfig(node.url, prefix);
    const admin = createClient(cfg);
    const version = await serverVersion(admin);
    const have = await countDocs(admin, `${prefix}-key-operations-*`);
    if (have !== N) {
      log(`loading ${N} operations (found ${have})`);
      const indices = Object.keys(await admin.indices.get({ index: `${prefix}-*`, ignore_unavailable: true, allow_no_indices: true }));
      if (indices.length > 0) await admin.indices.delete({ index: indices.join(',') });
      await load(await openStore({ backend: 'elasticsearch', elasticsearch: cfg }, { mode: 'readwrite', elasticsearch: { refreshAfterWrite: false } }), N);
      await countDocs(admin, `${prefix}-key-operations-*`);
    }
    const store = await openStore({ backend: 'elasticsearch', elasticsearch: cfg }, { mode: 'readonly' });
    const alone = await timed(() => store.answer(latencyPercentiles, heavyParams()));
    // A range over every document of a shard is rewritten to match_all before the request cache key is taken,
    // so even a new 366-day range repeats a cached request: clear the cache before each heavy call.
    const r = await measure(store, () => admin.indices.clearCache({ index: `${prefix}-*`, request: true }));
    await store.close();
    await admin.close();
    process.stdout.write(report([
      `Isolation on Elasticsearch ${version}${node.heap === null ? '' : ` (local node, heap ${node.heap})`}, ${N.toLocaleString('en-US')} key operations over 30 days`,
      `raw baseline: the 366-day percentile search alone, first call: ${alone.toFixed(0)} ms`,
    ], r) + '\n');
  } finally {
    await node.stop();
  }
}

(STORE === 'elasticsearch' ? mainElasticsearch() : STORE === 'sqlite' ? mainSqlite() : Promise.reject(new Error(`--store: sqlite or elasticsearch, not ${STORE}`))).catch(
  (e: unknown) => {
    process.stderr.write(`bench:queries:isolation: ${e instanceof Error ? e.stack : String(e)}\n`);
    process.exit(1);
  },
);
