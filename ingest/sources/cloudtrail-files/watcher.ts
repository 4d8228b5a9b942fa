import type { Logger } from 'pino';
import type { Store } from '../../../lib/store/types';
import type { Pipeline } from '../../pipeline/pipeline';
import { isFileDone } from './file-checkpoint';
import type { TimeBounds } from '../../../lib/model/time-window';
import { ingestLogFile } from './ingest-file';
import { walkLogFiles } from './walk';

export type WatcherOptions = {
  root: string;
  pipeline: Pipeline;
  store: Pick<Store, 'getCheckpoint'>;
  pollIntervalMs: number;
  /**
   * A file modified this recently is left for the next poll: a writer that does not
   * rename into place may still be writing it (the checkpoint's size/mtime would catch a
   * change later, but only after a spurious dead letter).
   */
  settleMs?: number;
  logger: Logger;
  now?: () => Date;
  /** Bounds on record times; a watcher is a live source (lib/model/time-window.ts). */
  timeBounds?: TimeBounds;
};

export type PollResult = { files: number; records: number; auditEvents: number; notKms: number; deadLetters: number };

/**
 * The cloudtrail-files source in the service: lists the tree on an interval (fs.watch
 * misses events on network and overlay filesystems; a sorted listing is what trail readers
 * poll) and ingests every file not yet done, per its checkpoint in the store. Files
 * submitted but not yet committed are remembered, so a poll never submits one twice.
 */
export class CloudTrailWatcher {
  private timer: NodeJS.Timeout | null = null;
  private polling: Promise<PollResult> | null = null;
  private stopping = false;
  private readonly inFlight = new Set<string>();
  private readonly totals: PollResult = { files: 0, records: 0, auditEvents: 0, notKms: 0, deadLetters: 0 };

  constructor(private readonly o: WatcherOptions) {}

  start(): void {
    this.stopping = false;
    this.schedule(0);
  }

  /** One pass over the tree; what the timer runs, and what tests call. */
  pollOnce(): Promise<PollResult> {
    this.polling ??= this.poll().finally(() => (this.polling = null));
    return this.polling;
  }

  /** Stops polling; resolves when the file being submitted (if any) is in the pipeline. */
  async stop(): Promise<void> {
    this.stopping = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.polling?.catch(() => undefined);
  }

  stats(): PollResult & { inFlight: number } {
    return { ...this.totals, inFlight: this.inFlight.size };
  }

  private schedule(delayMs: number): void {
    if (this.stopping) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.pollOnce()
        .catch((err: unknown) => this.o.logger.error({ root: this.o.root, err: (err as Error).message }, 'cloudtrail poll failed'))
        .finally(() => this.schedule(this.o.pollIntervalMs));
    }, delayMs);
  }

  private async poll(): Promise<PollResult> {
    const result: PollResult = { files: 0, records: 0, auditEvents: 0, notKms: 0, deadLetters: 0 };
    const now = this.o.now ?? (() => new Date());
    const settleMs = this.o.settleMs ?? 0;
    for await (const file of walkLogFiles(this.o.root)) {
      if (this.stopping) break;
      if (this.inFlight.has(file.path)) continue;
      if (settleMs > 0 && now().getTime() - file.mtimeMs < settleMs) continue;
      if (isFileDone(await this.o.store.getCheckpoint(this.o.pipeline.source, file.path), file)) continue;
      this.inFlight.add(file.path);
      let done: Awaited<ReturnType<typeof ingestLogFile>>;
      try {
        done = await ingestLogFile(file, this.o.pipeline, now(), { mode: 'live', bounds: this.o.timeBounds });
      } catch (err) {
        this.inFlight.delete(file.path);
        if (this.o.pipeline.stats().failed) throw err;
        // Not the file's content (that is dead-lettered) but reading it: no checkpoint, so the next poll tries again.
        this.o.logger.error({ file: file.path, err: (err as Error).message }, 'cannot read CloudTrail file; will retry');
        continue;
      }
      if (done === null) {
        this.inFlight.delete(file.path);
        continue;
      }
      // Forget it once committed (the checkpoint answers from then on) or failed (read again later).
      void done.committed.finally(() => this.inFlight.delete(file.path)).catch(() => undefined);
      result.files++;
      for (const k of ['records', 'auditEvents', 'notKms', 'deadLetters'] as const) result[k] += done.counts[k];
      if (done.counts.corrupt) this.o.logger.warn({ file: file.path }, 'unreadable CloudTrail file dead-lettered');
    }
    for (const k of Object.keys(result) as Array<keyof PollResult>) this.totals[k] += result[k];
    if (result.files > 0) this.o.logger.info({ root: this.o.root, ...result }, 'cloudtrail files ingested');
    return result;
  }
}
