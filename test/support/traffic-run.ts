import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { resolveTrafficOptions, type TrafficFlags, type TrafficOptions } from '@/lib/engine/traffic/options';

/** Options for a small, fast, reproducible run into a fresh temp dir. */
export function smallRun(patch: Partial<TrafficFlags> = {}): TrafficOptions {
  const out = mkdtempSync(join(tmpdir(), 'keyscope-traffic-'));
  return resolveTrafficOptions(
    {
      scenario: 'steady',
      rate: '5',
      duration: '20m',
      seed: '11',
      out,
      start: '2026-11-20T14:00:00Z',
      dekPolicy: 'cached',
      readRatio: '0.8',
      rewrapRate: '20',
      progress: false,
      ...patch,
    },
    Date.parse('2026-11-23T00:00:00Z'),
  );
}

/** Every file under `dir`, recursively, sorted by path. */
export function listFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...listFiles(p));
    else out.push(p);
  }
  return out.sort();
}

/** A file's content, gunzipped where it is gzip. */
export function readMaybeGzip(path: string): Buffer {
  const raw = readFileSync(path);
  return path.endsWith('.gz') ? gunzipSync(raw) : raw;
}

export function readNdjson<T = Record<string, unknown>>(dir: string): T[] {
  return listFiles(dir)
    .filter((f) => f.endsWith('.ndjson'))
    .flatMap((f) =>
      readFileSync(f, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as T),
    );
}

export function readTrail(outDir: string): Array<Record<string, unknown>> {
  return listFiles(join(outDir, 'AWSLogs'))
    .filter((f) => f.endsWith('.json.gz'))
    .flatMap((f) => (JSON.parse(readMaybeGzip(f).toString('utf8')) as { Records: Array<Record<string, unknown>> }).Records);
}
