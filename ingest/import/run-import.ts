import type { Logger } from 'pino';
import type { Store } from '../../lib/store/types';
import { Pipeline } from '../pipeline/pipeline';
import { isFileDone } from '../sources/cloudtrail-files/file-checkpoint';
import { CLOUDTRAIL_FILES_SOURCE, submitLogFile } from '../sources/cloudtrail-files/ingest-file';
import { readLogFile, type LogFileRead } from '../sources/cloudtrail-files/read-log-file';
import type { FoundFile } from '../sources/cloudtrail-files/walk';
import { NDJSON_FILES_SOURCE, ingestNdjsonFile } from '../sources/ndjson-files/read-ndjson-file';
import { measurePlan, type ImportPlan } from './import-plan';
import { buildSummary, emptySourceCounts, type ImportSummary, type SourceCounts } from './import-summary';

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
  progress?: ImportProgress;
  now?: () => Date;
};

/**
 * One-shot backfill (`ingest import`): every CloudTrail log file under the path and the
 * traffic generator's operations/ and dek-records/ NDJSON, through the same pipeline as
 * the service, with the same per-file checkpoints. Files already imported are skipped,
 * so an import killed at any point and run again stores each record once.
 */
export async function runImport(o: ImportOptions): Promise<ImportSummary> {
  const started = performance.now();
  const plan = o.plan;
  const measured = await measurePlan(plan);
  o.progress?.start(measured.bytes, measured.files);
  const pipelines = [CLOUDTRAIL_FILES_SOURCE, NDJSON_FILES_SOURCE].map(
    (source) => new Pipeline({ source, store: o.store, batchRecords: o.batchRecords, batchMaxAgeMs: o.batchMaxAgeMs, logger: o.logger }),
  ) as [Pipeline, Pipeline];
  const counts = emptySourceCounts();
  const now = o.now ?? (() => new Date());
  try {
    await importLogFiles(plan, pipelines[0], counts, o, now);
    await importNdjson(plan, pipelines[1], counts, o, now);
    await Promise.all(pipelines.map((p) => p.close()));
    o.progress?.advance(0, counts);
  } finally {
    o.progress?.stop();
  }
  const summary = buildSummary(plan.root, counts, pipelines.map((p) => p.stats().totals), performance.now() - started);
  o.logger.debug({ ...summary, byKind: undefined }, 'import finished');
  return summary;
}

async function alreadyImported(store: Store, source: string, file: FoundFile): Promise<boolean> {
  return isFileDone(await store.getCheckpoint(source, file.path), file);
}

/** One file read ahead: its I/O and gunzip (libuv's pool) overlap the current file's store write. */
async function importLogFiles(plan: ImportPlan, pipeline: Pipeline, counts: SourceCounts, o: ImportOptions, now: () => Date): Promise<void> {
  let ahead: { file: FoundFile; read: Promise<LogFileRead | null> } | null = null;
  const files = plan.logFiles();
  for (;;) {
    const next = await nextToRead(files, pipeline.source, counts, o);
    const current = ahead;
    ahead = next === null ? null : { file: next, read: readLogFile(next, pipeline.source, now()) };
    // Awaited on the next turn; until then a failure must not count as unhandled.
    ahead?.read.catch(() => undefined);
    if (current === null) {
      if (ahead === null) return;
      continue;
    }
    const read = await current.read.catch((err: unknown) => {
      // Not the file's content (that is dead-lettered) but reading it: no checkpoint, a rerun tries again.
      o.logger.error({ file: current.file.path, err: (err as Error).message }, 'cannot read file; skipped');
      counts.filesUnreadable++;
      return null;
    });
    if (read !== null) {
      await submitLogFile(current.file, read, pipeline);
      if (read.counts.corrupt) counts.filesUnreadable++;
      else counts.filesRead++;
      counts.recordsRead += read.counts.records;
      counts.notKms += read.counts.notKms;
      counts.deadLettered += read.counts.deadLetters;
    }
    o.progress?.advance(current.file.size, counts);
  }
}

/** The next file not imported before; those that were are counted and skipped. */
async function nextToRead(files: AsyncGenerator<FoundFile>, source: string, counts: SourceCounts, o: ImportOptions): Promise<FoundFile | null> {
  for (;;) {
    const { value, done } = await files.next();
    if (done) return null;
    counts.files++;
    if (!(await alreadyImported(o.store, source, value))) return value;
    counts.filesAlreadyImported++;
    o.progress?.advance(value.size, counts);
  }
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
      ({ counts: c } = await ingestNdjsonFile(file, file.kind, pipeline, now(), progress));
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
