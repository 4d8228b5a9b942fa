import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { runTraffic } from '../../../lib/engine/traffic/generator';
import { resolveTrafficOptions, type TrafficFlags } from '../../../lib/engine/traffic/options';

export type TreeCounts = {
  logFiles: number;
  /** Unique eventIDs of kms.amazonaws.com records in the trail. */
  kmsEvents: number;
  /** Unique KeyOperation ids and DekRecord objectIds in the NDJSON files. */
  operations: number;
  dekRecords: number;
  ndjsonFiles: number;
  ndjsonLines: number;
};

/**
 * A traffic generator tree (AWSLogs/ + operations/ + dek-records/) in a temp dir, on a
 * fixed window and seed so that counts are the same every run.
 */
export async function generateTree(flags: Partial<TrafficFlags> = {}): Promise<{ dir: string; cleanup: () => void }> {
  const dir = mkdtempSync(join(tmpdir(), 'keyscope-tree-'));
  const options = resolveTrafficOptions(
    {
      scenario: 'steady', rate: '20', duration: '3m', seed: '7', out: dir, start: '2026-03-01T10:00:00Z',
      dekPolicy: 'cached', readRatio: '0.8', rewrapRate: '50', progress: false, ...flags,
    },
    Date.UTC(2026, 2, 2),
  );
  await runTraffic(options);
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

function filesUnder(dir: string, match: RegExp): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...filesUnder(p, match));
    else if (match.test(e.name)) out.push(p);
  }
  return out;
}

/** What a tree holds, counted independently of ingest/. */
export function countTree(dir: string): TreeCounts {
  const logFiles = filesUnder(join(dir, 'AWSLogs'), /\.json\.gz$/);
  const events = new Set<string>();
  for (const f of logFiles) {
    const { Records } = JSON.parse(gunzipSync(readFileSync(f)).toString('utf8')) as { Records: Array<{ eventID: string; eventSource: string }> };
    for (const r of Records) if (r.eventSource === 'kms.amazonaws.com') events.add(r.eventID);
  }
  const unique = (sub: string, key: string) => {
    const ids = new Set<string>();
    let lines = 0;
    const files = filesUnder(join(dir, sub), /\.ndjson$/);
    for (const f of files) {
      for (const line of readFileSync(f, 'utf8').split('\n')) {
        if (!line.trim()) continue;
        lines++;
        ids.add((JSON.parse(line) as Record<string, string>)[key]!);
      }
    }
    return { ids: ids.size, lines, files: files.length };
  };
  const ops = unique('operations', 'id');
  const deks = unique('dek-records', 'objectId');
  return {
    logFiles: logFiles.length, kmsEvents: events.size, operations: ops.ids, dekRecords: deks.ids,
    ndjsonFiles: ops.files + deks.files, ndjsonLines: ops.lines + deks.lines,
  };
}
