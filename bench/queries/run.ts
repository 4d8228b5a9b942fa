/**
 * `npm run bench:queries -- --ops=1000000`: the on-call page's questions against a SQLite
 * store holding N key operations over 30 days, beside a raw baseline measured in the same
 * run (a full scan counting the operations table: what any question would cost without
 * rollups and indexes). The database is built once per N and cached under bench/results/.
 */
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { DEFAULT_SLOS } from '../../lib/detect/slo-config';
import { openStore } from '../../lib/store';
import type { Store } from '../../lib/store/types';
import { generateOperations } from '../../test/support/key-operation-generator';
import { median } from '../lib/measure';

const N = Number(process.argv.find((a) => a.startsWith('--ops='))?.split('=')[1] ?? 1_000_000);
const END = Date.parse('2026-11-01T00:00:00Z');
const DAY = 86_400_000;
const dir = join(import.meta.dirname, '..', 'results');
const dbPath = join(dir, `queries-${N}.db`);

async function build(): Promise<void> {
  rmSync(dbPath, { force: true });
  mkdirSync(dir, { recursive: true });
  const store = await openStore({ backend: 'sqlite', sqlitePath: dbPath }, { mode: 'readwrite' });
  const chunk = 50_000;
  const started = Date.now();
  for (let i = 0; i * chunk < N; i++) {
    const n = Math.min(chunk, N - i * chunk);
    // Each chunk covers the whole 30 days, with an incident so that burn rates move.
    const ops = generateOperations(1000 + i, n, { fromMs: END - 30 * DAY, toMs: END }, {
      incidents: [{ fromMs: END - 2 * DAY, toMs: END - 2 * DAY + 3_600_000, failureRate: 0.4, errorClass: 'kms_unavailable' }],
    });
    await store.writeBatch({ source: 'bench', keyOperations: ops });
    process.stderr.write(`\rbuilding: ${(i * chunk + n).toLocaleString('en-US')} / ${N.toLocaleString('en-US')} operations (${Math.round((i * chunk + n) / ((Date.now() - started) / 1000))}/s)`);
  }
  process.stderr.write('\n');
  await store.close();
}

async function time(fn: () => Promise<unknown>): Promise<number> {
  const xs: number[] = [];
  for (let i = 0; i < 3; i++) {
    const t = process.hrtime.bigint();
    await fn();
    xs.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  return median(xs);
}

async function main(): Promise<void> {
  if (!existsSync(dbPath)) await build();
  const store: Store = await openStore({ backend: 'sqlite', sqlitePath: dbPath }, { mode: 'readonly' });
  const raw = new Database(dbPath, { readonly: true });
  const opsTable = (raw.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE '%operation%' ORDER BY length(name) LIMIT 1`).get() as { name: string }).name;
  const baseline = await time(async () => raw.prepare(`SELECT count(*) AS n FROM ${opsTable} NOT INDEXED`).get());
  const rows: Array<[string, string, number]> = [];
  for (const [label, span] of [['1h', 3_600_000], ['24h', DAY], ['7d', 7 * DAY], ['30d', 30 * DAY]] as const) {
    const range = { from: new Date(END - span).toISOString(), to: new Date(END).toISOString() };
    rows.push([label, 'sliSeries (unwrap success)', await time(() => store.sliSeries({ ...range, sli: 'unwrap_success', filters: {} } as never))]);
    rows.push([label, 'latencyPercentiles (unwrap)', await time(() => store.latencyPercentiles({ ...range, operation: 'unwrap', filters: {} } as never))]);
    rows.push([label, 'failureBreakdown (errorClass)', await time(() => store.failureBreakdown({ ...range, by: 'errorClass', filters: {} } as never))]);
    rows.push([label, 'kmsThrottling', await time(() => store.kmsThrottling({ ...range, filters: {} } as never))]);
  }
  for (const slo of DEFAULT_SLOS) rows.push(['30d window', `sloStatus (${slo.id})`, await time(() => store.sloStatus({ slo, now: new Date(END).toISOString() } as never))]);
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

main().catch((e: unknown) => {
  process.stderr.write(`bench:queries: ${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});
