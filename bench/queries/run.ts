/**
 * `npm run bench:queries -- --ops=1000000`: the on-call page's questions against a SQLite
 * store holding N key operations over 30 days, beside a raw baseline measured in the same
 * run (a full scan counting the operations table: what any question would cost without
 * rollups and indexes). The database is built once per N and cached under bench/results/.
 *
 * `--store=elasticsearch`: the same operations (same generator, seeds and chunks) written
 * through the Elasticsearch store's writeBatch, and the same questions, on a local node
 * this process starts (`--es-heap=2g`) with its data kept under
 * bench/results/elasticsearch-<N>/ (reused when it holds N operations), or on `--es-url=`.
 * Raw baseline there: a search reading every operation's @timestamp (value_count over the
 * whole index). The shard request cache is cleared before every timed call, so repeats do
 * not read cached aggregations; one untimed pass over all the questions warms the node first.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { DEFAULT_SLOS } from '../../lib/detect/slo-config';
import { openStore } from '../../lib/store';
import type { Store } from '../../lib/store/types';
import { medianOf3 } from '../lib/measure';
import { benchEsConfig, benchNode, countDocs, createClient, serverVersion } from '../lib/elasticsearch';
import { DAY, END, RESULTS_DIR, arg, buildSqlite, load as loadOps, sqlitePath } from './dataset';
import { failureBreakdown, kmsThrottling, latencyPercentiles, sliSeries, sloStatus } from '../../lib/questions/registry';

const N = Number(arg('ops') ?? 1_000_000);
const STORE = arg('store') ?? 'sqlite';
const dir = RESULTS_DIR;
const dbPath = sqlitePath(N);
const build = (): Promise<void> => buildSqlite(N);
const load = (store: Store): Promise<number> => loadOps(store, N);

const time = medianOf3;

type Row = [string, string, number];

/** The on-call page's questions, each timed (median of 3); `before` runs ahead of every timed call, untimed. */
async function questions(store: Store, before?: () => Promise<unknown>): Promise<Row[]> {
  const time3 = (fn: () => Promise<unknown>) => time(fn, before);
  const rows: Row[] = [];
  for (const [label, span] of [['1h', 3_600_000], ['24h', DAY], ['7d', 7 * DAY], ['30d', 30 * DAY]] as const) {
    const range = { from: new Date(END - span).toISOString(), to: new Date(END).toISOString() };
    rows.push([label, 'sliSeries (unwrap success)', await time3(() => store.answer(sliSeries, { ...range, sli: 'unwrap_success', filters: {} } as never))]);
    rows.push([label, 'latencyPercentiles (unwrap)', await time3(() => store.answer(latencyPercentiles, { ...range, operation: 'unwrap', filters: {} } as never))]);
    rows.push([label, 'failureBreakdown (errorClass)', await time3(() => store.answer(failureBreakdown, { ...range, by: 'errorClass', filters: {} } as never))]);
    rows.push([label, 'kmsThrottling', await time3(() => store.answer(kmsThrottling, { ...range, filters: {} } as never))]);
  }
  for (const slo of DEFAULT_SLOS) rows.push(['30d window', `sloStatus (${slo.id})`, await time3(() => store.answer(sloStatus, { slo, now: new Date(END).toISOString() } as never))]);
  return rows;
}

async function main(): Promise<void> {
  if (STORE === 'elasticsearch') return mainElasticsearch();
  if (STORE !== 'sqlite') throw new Error(`--store: sqlite or elasticsearch, not ${STORE}`);
  if (!existsSync(dbPath)) await build();
  const store: Store = await openStore({ backend: 'sqlite', sqlitePath: dbPath }, { mode: 'readonly' });
  const raw = new Database(dbPath, { readonly: true });
  const opsTable = (raw.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE '%operation%' ORDER BY length(name) LIMIT 1`).get() as { name: string }).name;
  const baseline = await time(async () => raw.prepare(`SELECT count(*) AS n FROM ${opsTable} NOT INDEXED`).get());
  const rows = await questions(store);
  const lines = [
    `On-call questions on SQLite, ${N.toLocaleString('en-US')} key operations over 30 days (median of 3, ms)`,
    `raw baseline: full scan counting ${opsTable}: ${baseline.toFixed(1)} ms`,
    '',
    '| range | question | ms | ms / raw scan |',
    '|---|---|---:|---:|',
    ...rows.map(([r, q, ms]) => `| ${r} | ${q} | ${ms.toFixed(1)} | ${(ms / baseline).toFixed(2)} |`),
  ];
  process.stdout.write(lines.join('\n') + '\n');
  raw.close();
  await store.close();
}

async function mainElasticsearch(): Promise<void> {
  const log = (s: string) => process.stderr.write(`${s}\n`);
  const url = arg('es-url');
  const home = join(dir, `elasticsearch-${N}`);
  const node = await benchNode(url, arg('es-heap') ?? '2g', log, url === undefined ? home : undefined);
  try {
    const prefix = `benchq${N}`;
    const cfg = benchEsConfig(node.url, prefix);
    const admin = createClient(cfg);
    const version = await serverVersion(admin);
    const alias = `${prefix}-key-operations`;
    const have = await countDocs(admin, `${alias}-*`);
    let loadRate: number | null = null;
    if (have !== N) {
      log(`loading ${N} operations into ${alias}-* (found ${have})`);
      const indices = Object.keys(await admin.indices.get({ index: `${prefix}-*`, ignore_unavailable: true, allow_no_indices: true }));
      if (indices.length > 0) await admin.indices.delete({ index: indices.join(',') });
      loadRate = await load(await openStore({ backend: 'elasticsearch', elasticsearch: cfg }, { mode: 'readwrite', elasticsearch: { refreshAfterWrite: false } }));
      const stored = await countDocs(admin, `${alias}-*`);
      if (stored !== N) throw new Error(`loaded ${N} operations, ${stored} stored`);
    }
    const clearCache = () => admin.indices.clearCache({ index: `${prefix}-*`, request: true });
    const baseline = await time(
      () => admin.search({ index: alias, size: 0, track_total_hits: true, request_cache: false, aggs: { n: { value_count: { field: '@timestamp' } } } }),
      clearCache,
    );
    const store: Store = await openStore({ backend: 'elasticsearch', elasticsearch: cfg }, { mode: 'readonly' });
    const segments = (await admin.indices.stats({ index: `${alias}-*`, metric: 'segments' }))._all.primaries?.segments?.count;
    // A first pass, dropped: the node's search path is cold after start (JIT, page cache), and the 1h questions run first.
    await questions(store, clearCache);
    const rows = await questions(store, clearCache);
    const lines = [
      `On-call questions on Elasticsearch ${version}${node.heap === null ? '' : ` (local node, heap ${node.heap})`}, ${N.toLocaleString('en-US')} key operations over 30 days (after one untimed pass; median of 3, request cache cleared before each, ms)`,
      loadRate === null ? `(data loaded in an earlier run, kept under ${home})` : `load through the store's writeBatch: ${loadRate.toLocaleString('en-US')} operations/s`,
      `${segments ?? '?'} segments in the key-operations indices`,
      `raw baseline: a search reading every operation's @timestamp (value_count): ${baseline.toFixed(1)} ms`,
      '',
      '| range | question | ms | ms / raw scan |',
      '|---|---|---:|---:|',
      ...rows.map(([r, q, ms]) => `| ${r} | ${q} | ${ms.toFixed(1)} | ${(ms / baseline).toFixed(2)} |`),
    ];
    process.stdout.write(lines.join('\n') + '\n');
    await store.close();
    await admin.close();
  } finally {
    await node.stop();
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`bench:queries: ${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});
