import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { openStore } from '../../lib/store';
import type { Store } from '../../lib/store/types';
import { generateOperations } from '../../test/support/key-operation-generator';

/** `--name=value` or `--name value`. */
export function arg(name: string): string | undefined {
  const args = process.argv.slice(2);
  const i = args.findIndex((a) => a === `--${name}` || a.startsWith(`--${name}=`));
  if (i === -1) return undefined;
  return args[i] === `--${name}` ? args[i + 1] : args[i]!.slice(name.length + 3);
}

/** The end of the benchmark data's 30 days. */
export const END = Date.parse('2026-11-01T00:00:00Z');
export const DAY = 86_400_000;
export const RESULTS_DIR = join(import.meta.dirname, '..', 'results');
export const sqlitePath = (n: number): string => join(RESULTS_DIR, `queries-${n}.db`);

/** Writes N operations over the 30 days before END through the store; returns the load rate (operations/s). */
export async function load(store: Store, n: number): Promise<number> {
  const chunk = 50_000;
  const started = Date.now();
  for (let i = 0; i * chunk < n; i++) {
    const size = Math.min(chunk, n - i * chunk);
    // Each chunk covers the whole 30 days, with an incident so that burn rates move.
    const ops = generateOperations(1000 + i, size, { fromMs: END - 30 * DAY, toMs: END }, {
      incidents: [{ fromMs: END - 2 * DAY, toMs: END - 2 * DAY + 3_600_000, failureRate: 0.4, errorClass: 'kms_unavailable' }],
    });
    await store.writeBatch({ source: 'bench', keyOperations: ops });
    process.stderr.write(`\rbuilding: ${(i * chunk + size).toLocaleString('en-US')} / ${n.toLocaleString('en-US')} operations (${Math.round((i * chunk + size) / ((Date.now() - started) / 1000))}/s)`);
  }
  process.stderr.write('\n');
  await store.close();
  return Math.round(n / ((Date.now() - started) / 1000));
}

/** The SQLite database of N operations, built from scratch. */
export async function buildSqlite(n: number): Promise<void> {
  rmSync(sqlitePath(n), { force: true });
  mkdirSync(RESULTS_DIR, { recursive: true });
  await load(await openStore({ backend: 'sqlite', sqlitePath: sqlitePath(n) }, { mode: 'readwrite' }), n);
}
