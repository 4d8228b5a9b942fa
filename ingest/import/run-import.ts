import type { TimeBounds } from '../../lib/model/time-window';
import type { Logger } from 'pino';
import type { Store, WriteResult } from '../../lib/store/types';
import { Pipeline } from '../pipeline/pipeline';
import { KeyInventory } from '../../lib/inventory/key-inventory';
import { backfillLogFiles } from '../sources/cloudtrail-files/backfill';
import { isFileDone } from '../sources/cloudtrail-files/file-checkpoint';
import { CLOUDTRAIL_FILES_SOURCE } from '../sources/cloudtrail-files/ingest-file';
import { RefusedEntries } from '../sources/cloudtrail-files/refused-entries';
import type { FoundFile } from '../sources/cloudtrail-files/walk';
import { NDJSON_FILES_SOURCE, ingestNdjsonFile } from '../sources/ndjson-files/read-ndjson-file';
import { measurePlan, type ImportPlan } from './import-plan';
import { buildSummary, emptySourceCounts, type ImportSummary, type SourceCounts } from './import-summary';
import { TrailTally } from './trail-tally';

/** Progress of an import in bytes of input (files differ too much in records for a file count). */
export interface ImportProgress {
  start(totalBytes: number, totalFiles: number): void;
  advance(bytes: number, counts: SourceCounts): void;
  stop(): void;
}

export type ImportOptions = {
  /** From planImport, which the CLI calls first so a bad path fails before the store opens. */
  plan: ImportPlan;
  store: Store;
  batchRecords: number;
  batchMaxAgeMs: number;
  logger: Logger;
  /** Future skew applies; import takes any past time from 2010 on (lib/model/time-window.ts). */
  timeBounds?: TimeBounds;
  progress?: ImportProgress;
  /** CloudTrail files read at once (default 4). */
  concurrency?: number;
  /** Build the key inventory from the trail's events (default true). */
  keyInventory?: boolean;
  now?: () => Date;
  /** Every store write either pipeline acknowledged, in order (the crash failpoint, ingest/pipeline/failpoint.ts). */
  onWrite?: (result: WriteResult) => void;
};

/**
 * One-shot backfill (`ingest import`): every CloudTrail log file under the path (a trail's
 * or an organization trail's AWSLogs tree, any number of accounts and Regions) and the
 * traffic generator's operations/ and dek-records/ NDJSON, through the same pipeline as
 * the service, with the same per-file checkpoints. Files already imported are skipped,
 * so an import killed at any point and run again stores each record once. Management
 * events update the key inventory in the same writes.
 */
export async function runImport(o: ImportOptions): Promise<ImportSummary> {
  const started = performance.now();
  const plan = o.plan;
  const measured = await measurePlan(plan);
  o.progress?.start(measured.bytes, measured.files);
  // The inventory continues from the stored key states, so that events of this import merge with what earlier ones found.
  const keyInventory = o.keyInventory === false ? undefined : KeyInventory.fromKeyStates(await o.store.keyStates());
  const pipelines = [CLOUDTRAIL_FILES_SOURCE, NDJSON_FILES_SOURCE].map(
    (source) => new Pipeline({
      source, store: o.store, batchRecords: o.batchRecords, batchMaxAgeMs: o.batchMaxAgeMs, logger: o.logger, onWrite: o.onWrite,
      ...(source === CLOUDTRAIL_FILES_SOURCE && keyInventory ? { keyInventory } : {}),
    }),
  ) as [Pipeline, Pipeline];
  const counts = emptySourceCounts();
  const trails = new TrailTally();
  const now = o.now ?? (() => new Date());
  try {
    await importLogFiles(plan, pipelines[0], counts, trails, o, now);
    await importNdjson(plan, pipelines[1], counts, o, now);
    await Promise.all(pipelines.map((p) => p.close()));
    o.progress?.advance(0, counts);
  } finally {
    o.progress?.stop();
  }
  const summary = buildSummary(plan.root, counts, pipelines.map((p) => p.stats().totals), performance.now() - started, trails.list());
  o.logger.debug({ ...summary, byKind: undefined }, 'import finished');
  return summary;
}

async function alreadyImported(store: Store, source: string, file: FoundFile): Promise<boolean> {
  return isFileDone(await store.getCheckpoint(source, file.path), file);
}

/** Log files with `concurrency` in flight; per-file checkpoints make a rerun skip what is done. */
async function importLogFiles(plan: ImportPlan, pipeline: Pipeline, counts: SourceCounts, trails: TrailTally, o: ImportOptions, now: () => Date): Promise<void> {
  const refused = new RefusedEntries();
  const files = plan.logFiles({ onSkipped: (kind) => counts.filesSkipped[kind]++, onRefused: refused.add });
  await backfillLogFiles({
    files, pipeline, store: o.store, concurrency: o.concurrency, now, logger: o.logger, timeBounds: o.timeBounds,
    onFile: (file, outcome) => {
      counts.files++;
      if (outcome.kind === 'already') counts.filesAlreadyImported++;
      else if (outcome.kind === 'failed') counts.filesUnreadable++;
      else if (outcome.kind === 'read') {
        const c = outcome.counts;
        if (c.corrupt) counts.filesUnreadable++;
        else counts.filesRead++;
        if (c.container) counts.containers[c.container] = (counts.containers[c.container] ?? 0) + 1;
        counts.recordsRead += c.records;
        counts.notKms += c.notKms;
        counts.deadLettered += c.deadLetters;
        trails.add(file.path, c);
      }
      o.progress?.advance(file.size, counts);
    },
  });
  refused.report(o.logger, plan.root);
  counts.entriesRefused = refused.count;
}

async function importNdjson(plan: ImportPlan, pipeline: Pipeline, counts: SourceCounts, o: ImportOptions, now: () => Date): Promise<void> {
  for await (const file of plan.ndjsonFiles()) {
    counts.files++;
    if (await alreadyImported(o.store, pipeline.source, file)) {
      counts.filesAlreadyImported++;
      o.progress?.advance(file.size, counts);
      continue;
    }
    let c: Awaited<ReturnType<typeof ingestNdjsonFile>>['counts'];
    try {
      const progress = (bytes: number, lines: number) => o.progress?.advance(bytes, { ...counts, recordsRead: counts.recordsRead + lines });
      ({ counts: c } = await ingestNdjsonFile(file, file.kind, pipeline, now(), progress, o.timeBounds));
    } catch (err) {
      if (pipeline.stats().failed) throw err;
      o.logger.error({ file: file.path, err: (err as Error).message }, 'cannot read file; skipped');
      counts.filesUnreadable++;
      continue;
    }
    if (c.lines === 0 && c.rejected > 0) counts.filesUnreadable++;
    else counts.filesRead++;
    counts.recordsRead += c.lines;
    counts.deadLettered += c.rejected;
  }
}
