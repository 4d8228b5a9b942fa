import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The seeded traffic every browser test reads: two hours with a KMS outage, fixed start.
 * A DEK per object, so that reads need KMS and the outage burns the budget fast enough to page.
 */
export const DATASET = { scenario: 'kms-outage', duration: '2h', rate: 5, seed: 7, start: '2026-03-02T10:00:00Z', dekPolicy: 'per-object' } as const;
/** An absolute range covering the whole dataset. */
export const DATA_RANGE = { from: '2026-03-02T10:00:00Z', to: '2026-03-02T12:00:00Z' } as const;
/** A range long before any data. */
export const EMPTY_RANGE = { from: '2025-06-01T00:00:00Z', to: '2025-06-01T02:00:00Z' } as const;

const ROOT = process.cwd();

function run(cmd: string, args: string[], what: string, env: Record<string, string> = {}): void {
  const r = spawnSync(cmd, args, { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1', ...env } });
  if (r.status !== 0) throw new Error(`${what} failed (exit ${r.status ?? r.signal})`);
}

/**
 * The traffic directory, generated once and kept under tmp/ (the same seed gives the same
 * traffic; tests derive their expectations from the database, never from constants).
 */
export function ensureTraffic(cacheDir: string): string {
  const key = `${DATASET.scenario}-${DATASET.duration}-r${DATASET.rate}-s${DATASET.seed}-${DATASET.dekPolicy}-${DATASET.start.replace(/[:]/g, '')}`;
  const dir = join(cacheDir, `traffic-${key}`);
  if (existsSync(join(dir, '.complete'))) return dir;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const tsx = join(ROOT, 'node_modules/.bin/tsx');
  run(tsx, ['scripts/traffic.ts', '--scenario', DATASET.scenario, '--duration', DATASET.duration, '--rate', String(DATASET.rate),
    '--seed', String(DATASET.seed), '--dek-policy', DATASET.dekPolicy, '--out', dir, '--no-progress', '--start', DATASET.start], 'traffic generator');
  writeFileSync(join(dir, '.complete'), new Date().toISOString());
  return dir;
}

/** Loads the traffic into a fresh database the way users do: with the ingest importer. */
export function loadDataset(trafficDir: string, dbPath: string): void {
  run(join(ROOT, 'node_modules/.bin/tsx'), ['ingest/main.ts', 'import', trafficDir, '--db', dbPath], 'ingest import');
}

/** The same traffic into Elasticsearch, with the same importer and the store settings in `env`. */
export function loadDatasetInto(trafficDir: string, env: Record<string, string>): void {
  run(join(ROOT, 'node_modules/.bin/tsx'), ['ingest/main.ts', 'import', trafficDir], 'ingest import (Elasticsearch)', env);
}
