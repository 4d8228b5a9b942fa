import type { Logger } from 'pino';
import { DEFAULT_TIME_BOUNDS, type TimeBounds } from '../../../lib/model/time-window';
import type { Store } from '../../../lib/store/types';
import type { Pipeline } from '../../pipeline/pipeline';
import { isFileDone } from './file-checkpoint';
import { ingestLogFile } from './ingest-file';
import { RefusedEntries } from './refused-entries';
import { DEFAULT_TRAIL_LOOKBACK_DAYS, advanceCursor, cursorCheckpoint, cursorKey, cursorThrough, dayKeyPrefix, lastClosedDay, retentionFloorDay } from './trail-cursor';
import { listTrailTree, type ListedFile } from './trail-listing';
import { trailKey, type TrailPrefix } from './trail-path';

export type WatcherOptions = {
  root: string;
  pipeline: Pipeline;
  store: Pick<Store, 'getCheckpoint' | 'deleteCheckpoints'>;
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
  /** Whole days before today (UTC) that every poll lists; older days close (trail-cursor.ts). */
  lookbackDays?: number;
};

export type PollResult = { files: number; records: number; auditEvents: number; notKms: number; deadLetters: number };
type ListedPrefix = { prefixDir: string; prefix: TrailPrefix; days: readonly string[] };

/**
 * The cloudtrail-files source in the service: lists the tree on an interval (fs.watch
 * misses events on network and overlay filesystems; a sorted listing is what trail readers
 * poll) and ingests every file not yet done, per its checkpoint in the store. Under each
 * trail prefix (account, Region) a cursor skips the closed days, whose file checkpoints
 * are then pruned: a poll costs what the open days hold, not the history. Files submitted
 * but not yet committed are remembered, so a poll never submits one twice.
 */
export class CloudTrailWatcher {
  private timer: NodeJS.Timeout | null = null;
  private polling: Promise<PollResult> | null = null;
  private stopping = false;
  private readonly inFlight = new Set<string>();
  private readonly totals: PollResult = { files: 0, records: 0, auditEvents: 0, notKms: 0, deadLetters: 0 };
  /** Per prefix folder: the last closed day, as stored (null: none yet, every day is listed). */
  private readonly cursors = new Map<string, string | null>();
  private readonly floorReported = new Set<string>();
  private readonly refused = new RefusedEntries();
  private pruned = 0;
  /** What the last poll read: directories listed and files considered (its cost, whatever it ingested). */
  private lastPoll = { dirsListed: 0, filesListed: 0 };

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

  stats(): PollResult & { inFlight: number; prefixes: number; refused: number; checkpointsPruned: number; lastPoll: { dirsListed: number; filesListed: number } } {
    return {
      ...this.totals, inFlight: this.inFlight.size, prefixes: this.cursors.size, refused: this.refused.count, checkpointsPruned: this.pruned, lastPoll: { ...this.lastPoll },
    };
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

  private now(): Date {
    return this.o.now?.() ?? new Date();
  }

  private async poll(): Promise<PollResult> {
    const result: PollResult = { files: 0, records: 0, auditEvents: 0, notKms: 0, deadLetters: 0 };
    const closed = lastClosedDay(this.now(), this.o.lookbackDays ?? DEFAULT_TRAIL_LOOKBACK_DAYS);
    const listed: ListedPrefix[] = [];
    const openDays = new Map<string, Set<string>>();
    const cost = { dirsListed: 0, filesListed: 0 };
    const listing = listTrailTree(this.o.root, {
      cursorOf: (prefixDir) => this.cursorOf(prefixDir),
      onPrefixListed: (prefixDir, prefix, days) => listed.push({ prefixDir, prefix, days }),
      onRefused: this.refused.add,
      onList: () => cost.dirsListed++,
    });
    try {
      for await (const file of listing) {
        if (this.stopping) break;
        cost.filesListed++;
        if ((await this.consider(file, result)) === 'open' && file.trailDay !== null) {
          const { prefixDir, day } = file.trailDay;
          openDays.set(prefixDir, (openDays.get(prefixDir) ?? new Set()).add(day));
        }
      }
    } finally {
      this.lastPoll = cost;
      this.refused.report(this.o.logger, this.o.root);
    }
    for (const k of Object.keys(result) as Array<keyof PollResult>) this.totals[k] += result[k];
    if (result.files > 0) this.o.logger.info({ root: this.o.root, ...result }, 'cloudtrail files ingested');
    // A stopped listing did not see every day: its prefixes keep their cursors.
    if (!this.stopping) await this.closeDays(listed, closed, openDays);
    return result;
  }

  /** Submits the file unless it is done; 'open' while it is not committed (its day cannot close yet). */
  private async consider(file: ListedFile, result: PollResult): Promise<'done' | 'open'> {
    if (this.inFlight.has(file.path)) return 'open';
    const settleMs = this.o.settleMs ?? 0;
    if (settleMs > 0 && this.now().getTime() - file.mtimeMs < settleMs) return 'open';
    if (isFileDone(await this.o.store.getCheckpoint(this.o.pipeline.source, file.path), file)) return 'done';
    this.inFlight.add(file.path);
    let done: Awaited<ReturnType<typeof ingestLogFile>>;
    try {
      done = await ingestLogFile(file, this.o.pipeline, this.now(), { mode: 'live', bounds: this.o.timeBounds });
    } catch (err) {
      this.inFlight.delete(file.path);
      if (this.o.pipeline.stats().failed) throw err;
      // Not the file's content (that is dead-lettered) but reading it: no checkpoint, so the next poll tries again.
      this.o.logger.error({ file: file.path, err: (err as Error).message }, 'cannot read CloudTrail file; will retry');
      return 'open';
    }
    if (done === null) {
      this.inFlight.delete(file.path);
      return 'done';
    }
    // Forget it once committed (the checkpoint answers from then on) or failed (read again later).
    void done.committed.finally(() => this.inFlight.delete(file.path)).catch(() => undefined);
    result.files++;
    for (const k of ['records', 'auditEvents', 'notKms', 'deadLetters'] as const) result[k] += done.counts[k];
    if (done.counts.corrupt) this.o.logger.warn({ file: file.path }, 'unreadable CloudTrail file dead-lettered');
    return 'open';
  }

  /**
   * Days up to the cursor are not listed; nor are days wholly older than the live
   * retention, whose records a live source refuses (lib/model/time-window.ts): a watcher
   * pointed at years of synced history reads what it may store, and says once per prefix
   * that `ingest import` loads the rest, rather than dead-lettering every older record.
   */
  private async cursorOf(prefixDir: string): Promise<string | null> {
    if (!this.cursors.has(prefixDir)) {
      this.cursors.set(prefixDir, cursorThrough(await this.o.store.getCheckpoint(this.o.pipeline.source, cursorKey(prefixDir))));
    }
    const stored = this.cursors.get(prefixDir) ?? null;
    const floor = retentionFloorDay(this.now(), (this.o.timeBounds ?? DEFAULT_TIME_BOUNDS).liveRetentionMs);
    if (stored !== null && stored >= floor) return stored;
    if (!this.floorReported.has(prefixDir)) {
      this.floorReported.add(prefixDir);
      this.o.logger.info({ prefix: prefixDir, through: floor }, 'days older than the live retention (KEYSCOPE_LIVE_RETENTION_DAYS) are not read by the watcher: load them with `ingest import`');
    }
    return floor;
  }

  /**
   * Moves each prefix's cursor over the days that closed with every file committed (all
   * cursors in one write), then prunes those days' file checkpoints. The cursors commit
   * first: a crash between the two leaves checkpoints nobody reads, never a closed day
   * whose files look unread.
   */
  private async closeDays(listed: readonly ListedPrefix[], closed: string, openDays: ReadonlyMap<string, Set<string>>): Promise<void> {
    const moves = listed.flatMap((p) => {
      const through = advanceCursor(this.cursors.get(p.prefixDir) ?? null, closed, p.days, openDays.get(p.prefixDir) ?? []);
      return through === null ? [] : [{ ...p, through, days: p.days.filter((d) => d <= through) }];
    });
    if (moves.length === 0) return;
    const source = this.o.pipeline.source;
    const receipt = await this.o.pipeline.submit({ checkpoints: moves.map((m) => cursorCheckpoint(source, m.prefixDir, m.prefix, m.through)) }, { urgent: true });
    await receipt.committed;
    for (const m of moves) this.cursors.set(m.prefixDir, m.through);
    const pruned = await this.o.store.deleteCheckpoints(source, moves.flatMap((m) => m.days.map((d) => dayKeyPrefix(m.prefixDir, d))));
    this.pruned += pruned;
    for (const m of moves) this.o.logger.info({ trail: trailKey(m.prefix), through: m.through, daysClosed: m.days.length }, 'cloudtrail days closed');
    this.o.logger.info({ root: this.o.root, prefixes: moves.length, checkpointsPruned: pruned }, 'cloudtrail file checkpoints pruned');
  }
}
