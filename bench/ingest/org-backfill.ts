/**
 * `npx tsx bench/ingest/org-backfill.ts`: the CloudTrail file backfill on an organization
 * trail (several accounts × Regions, digest and Insights folders, S3 data events mixed
 * in), at 1 file in flight and at --concurrency files in flight, beside the raw prepared
 * insert baseline measured in the same run on the same tree. Prints events/s, the ratios
 * and peak RSS. Flags: --accounts N (4), --regions N (3), --duration D (generator window, 6m),
 * --concurrency N (4).
 */
import { Command } from 'commander';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { planImport } from '../../ingest/import/import-plan';
import { runImport } from '../../ingest/import/run-import';
import { silentLogger } from '../../ingest/log';
import { runTraffic } from '../../lib/engine/traffic/generator';
import { resolveTrafficOptions } from '../../lib/engine/traffic/options';
import { openStore } from '../../lib/store';
import { writeOrgTree } from '../../test/support/org-trail-tree';
import { rawBaseline } from './raw-baseline';
import { RssSampler } from './rss-sampler';

const REGIONS = ['us-east-1', 'eu-west-1', 'ap-southeast-2', 'us-west-2', 'eu-central-1'];
const MB = 1024 * 1024;
const log = (s: string) => process.stderr.write(`${s}\n`);
const opts = new Command('bench:org-backfill')
  .option('--accounts <n>', 'member accounts', '4')
  .option('--regions <n>', 'Regions per account (at most 5)', '3')
  .option('--duration <d>', 'traffic generator window per account and Region', '6m')
  .option('--concurrency <n>', 'files in flight for the concurrent run', '4')
  .parse()
  .opts<{ accounts: string; regions: string; duration: string; concurrency: string }>();

async function importOnce(root: string, concurrency: number) {
  const dir = mkdtempSync(join(tmpdir(), 'keyscope-bench-db-'));
  try {
    const store = await openStore({ backend: 'sqlite', sqlitePath: join(dir, 'b.db') });
    const rss = new RssSampler();
    rss.start();
    const s = await runImport({ plan: await planImport(root), store, logger: silentLogger(), batchRecords: 5000, batchMaxAgeMs: 1000, concurrency });
    const peak = rss.stop();
    await store.close();
    return { s, peak };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'keyscope-bench-org-'));
  try {
    const base = join(work, 'base');
    await runTraffic(resolveTrafficOptions(
      { scenario: 'steady', rate: '40', duration: opts.duration, seed: '3', out: base, start: '2026-03-02T12:00:00Z', dekPolicy: 'per-object', readRatio: '0.8', rewrapRate: '50', progress: false },
      Date.UTC(2026, 2, 3),
    ));
    const accounts = Array.from({ length: Number(opts.accounts) }, (_, i) => String(100000000000 + i * 111111111).padStart(12, '0'));
    const regions = REGIONS.slice(0, Number(opts.regions));
    const tree = join(work, 'org');
    const c = writeOrgTree(join(base, 'AWSLogs'), tree, { orgId: 'o-bench12345', accounts, regions, withS3: true });
    log(`org tree: ${accounts.length} accounts × ${regions.length} Regions, ${c.logFiles} log files, ${c.kmsEvents} KMS events, ${c.s3Events} S3 events, ${c.digestFiles + c.insightFiles} digest/Insights files`);

    const rawDir = mkdtempSync(join(tmpdir(), 'keyscope-bench-raw-'));
    const raw = await rawBaseline(tree, join(rawDir, 'raw.db'));
    rmSync(rawDir, { recursive: true, force: true });
    const rawRate = Math.round(raw.rows / (raw.insertMs / 1000));
    const one = await importOnce(tree, 1);
    const many = await importOnce(tree, Number(opts.concurrency));
    const rate = (x: typeof one) => Math.round(x.s.recordsRead / (x.s.durationMs / 1000));
    const lines = [
      `file backfill, organization trail (${accounts.length} accounts × ${regions.length} Regions, ${c.logFiles} files, ${c.kmsEvents + c.s3Events} records of which ${c.s3Events} not KMS)`,
      `  raw prepared inserts (baseline)     ${rawRate} events/s`,
      `  backfill, 1 file in flight          ${rate(one)} events/s (${(rate(one) / rawRate).toFixed(2)}× raw), peak RSS ${(one.peak / MB).toFixed(0)} MB, key states ${one.s.keyStatesWritten}`,
      `  backfill, ${opts.concurrency} files in flight          ${rate(many)} events/s (${(rate(many) / rawRate).toFixed(2)}× raw), peak RSS ${(many.peak / MB).toFixed(0)} MB`,
      `  stored ${many.s.stored}, not KMS ${many.s.notKms}, skipped digest ${many.s.filesSkipped.digest} / Insights ${many.s.filesSkipped.insight}, trails ${many.s.trails.length}`,
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
