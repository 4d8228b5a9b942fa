import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { gunzip as gunzipCb, gzip as gzipCb } from 'node:zlib';
import { trailObjectKey, uniqueSuffix } from '../../lib/engine/audit/trail-path';
import { SeededRandom } from '../../lib/engine/random';
import { runTraffic } from '../../lib/engine/traffic/generator';
import { resolveTrafficOptions } from '../../lib/engine/traffic/options';
import { walkLogFiles } from '../../ingest/sources/cloudtrail-files/walk';

const gzip = promisify(gzipCb);
const gunzip = promisify(gunzipCb);

export type BenchTree = { dir: string; records: number; files: number; baseRecords: number; replicas: number };

/** The generator's window for the base trail: ~50k KMS calls with a DEK per object. */
const BASE = { duration: '7m', rate: '50', start: '2026-03-02T12:00:00Z', windowMs: 7 * 60_000 };
type CloudTrailJson = { Records: Array<Record<string, unknown> & { eventTime: string }> };

/**
 * A CloudTrail tree of at least `minRecords` KMS records, cached under `cacheDir` (reused
 * when its manifest says it is big enough). The traffic generator writes a base trail
 * (~50k records, about a minute); replicas of it, each shifted one window later in time
 * with fresh eventIDs and requestIDs, make up the rest: the records stay realistic and
 * unique, and building 1M takes a minute instead of twenty.
 */
export async function ensureBenchTree(cacheDir: string, minRecords: number, log: (s: string) => void): Promise<BenchTree> {
  const manifestPath = join(cacheDir, 'manifest.json');
  if (existsSync(manifestPath)) {
    const m = JSON.parse(readFileSync(manifestPath, 'utf8')) as BenchTree;
    if (m.records >= minRecords) return { ...m, dir: join(cacheDir, 'tree') };
  }
  rmSync(cacheDir, { recursive: true, force: true });
  const baseDir = join(cacheDir, 'base');
  const started = Date.now();
  log(`generating the base trail (traffic generator, steady, ${BASE.rate} objects/s for ${BASE.duration}, DEK per object)...`);
  await runTraffic(
    resolveTrafficOptions(
      { scenario: 'steady', rate: BASE.rate, duration: BASE.duration, seed: '1', out: baseDir, start: BASE.start, dekPolicy: 'per-object', readRatio: '0.8', rewrapRate: '50', progress: false },
      Date.UTC(2026, 2, 3),
    ),
  );
  const base: CloudTrailJson[] = [];
  for await (const f of walkLogFiles(join(baseDir, 'AWSLogs'))) base.push(JSON.parse((await gunzip(await readFile(f.path))).toString('utf8')) as CloudTrailJson);
  const baseRecords = base.reduce((n, f) => n + f.Records.length, 0);
  const replicas = Math.ceil(minRecords / baseRecords);
  log(`base: ${baseRecords} records in ${base.length} files (${((Date.now() - started) / 1000).toFixed(0)} s); writing ${replicas} shifted replicas...`);
  const treeDir = join(cacheDir, 'tree');
  const random = new SeededRandom(99);
  let files = 0;
  for (let r = 0; r < replicas; r++) {
    const shiftMs = r * BASE.windowMs;
    await Promise.all(
      base.map(async (file) => {
        const records = file.Records.map((rec) => ({
          ...rec,
          eventID: randomUUID(),
          requestID: randomUUID(),
          eventTime: new Date(Date.parse(rec.eventTime) + shiftMs).toISOString().replace(/\.\d{3}Z$/, 'Z'),
        }));
        const deliveredAt = Date.parse(records.at(-1)!.eventTime) + 60_000;
        const rel = trailObjectKey('111122223333', 'eu-west-1', deliveredAt, uniqueSuffix(() => random.next()));
        const path = join(treeDir, rel);
        mkdirSync(dirname(path), { recursive: true });
        await writeFile(path, await gzip(JSON.stringify({ Records: records })));
      }),
    );
    files += base.length;
  }
  rmSync(baseDir, { recursive: true, force: true });
  const tree: BenchTree = { dir: treeDir, records: baseRecords * replicas, files, baseRecords, replicas };
  writeFileSync(manifestPath, JSON.stringify(tree));
  log(`bench tree: ${tree.records} records in ${files} files (${((Date.now() - started) / 1000).toFixed(0)} s)`);
  return tree;
}
