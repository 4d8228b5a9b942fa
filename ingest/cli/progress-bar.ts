import { SingleBar } from 'cli-progress';
import type { SourceCounts } from '../import/import-summary';
import type { ImportProgress } from '../import/run-import';

const MB = 1024 * 1024;

/**
 * The import's progress bar, on stderr (stdout carries the summary). Measured in bytes
 * of input, with records read and the rate beside it. cli-progress draws nothing when
 * stderr is not a terminal.
 */
export function createProgressBar(): ImportProgress {
  const bar = new SingleBar({
    stream: process.stderr,
    format: 'import [{bar}] {percentage}% | {doneMb}/{totalMb} MB | {files} files | {records} records | {rate} records/s | ETA {eta_formatted}',
    hideCursor: true,
    etaBuffer: 100,
    fps: 5,
  });
  let done = 0;
  let total = 0;
  let files = 0;
  const started = performance.now();
  return {
    start(totalBytes, totalFiles) {
      total = totalBytes;
      files = totalFiles;
      bar.start(totalBytes, 0, { doneMb: '0.0', totalMb: (totalBytes / MB).toFixed(1), files: `0/${totalFiles}`, records: 0, rate: 0 });
    },
    advance(bytes, c: SourceCounts) {
      done = Math.min(total, done + bytes);
      const seconds = Math.max((performance.now() - started) / 1000, 0.001);
      bar.update(done, {
        doneMb: (done / MB).toFixed(1),
        files: `${c.filesRead + c.filesAlreadyImported + c.filesUnreadable}/${files}`,
        records: c.recordsRead,
        rate: Math.round(c.recordsRead / seconds),
      });
    },
    stop() {
      bar.stop();
    },
  };
}

/** Progress of a LookupEvents back-fill: event time read over the time to read, all targets together. */
export interface BackfillProgress {
  update(p: { coveredMs: number; totalMs: number }, events: number): void;
  stop(): void;
}

const HOUR_MS = 3600_000;

/** The poller's back-fill bar, on stderr like the import's; measured in hours of event time. */
export function createBackfillProgressBar(): BackfillProgress {
  const bar = new SingleBar({
    stream: process.stderr,
    format: 'cloudtrail [{bar}] {percentage}% | {doneH}/{totalH} h of events | {events} events | {rate} events/s | ETA {eta_formatted}',
    hideCursor: true,
    etaBuffer: 50,
    fps: 5,
  });
  let started = false;
  const t0 = performance.now();
  return {
    update(p, events) {
      const payload = {
        doneH: (p.coveredMs / HOUR_MS).toFixed(1), totalH: (p.totalMs / HOUR_MS).toFixed(1), events,
        rate: Math.round(events / Math.max((performance.now() - t0) / 1000, 0.001)),
      };
      if (!started) {
        bar.start(Math.max(1, p.totalMs), 0, payload);
        started = true;
      }
      bar.setTotal(Math.max(1, p.totalMs));
      bar.update(Math.min(p.coveredMs, p.totalMs), payload);
    },
    stop() {
      if (started) bar.stop();
    },
  };
}
