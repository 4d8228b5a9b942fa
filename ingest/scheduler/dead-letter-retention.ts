import type { Logger } from 'pino';
import type { Store } from '../../lib/store/types';

const HOUR = 3600_000;

export type DeadLetterRetentionOptions = {
  store: Pick<Store, 'pruneDeadLetters'>;
  /** Dead letters received longer ago than this are deleted (KEYSCOPE_DEAD_LETTER_RETENTION_DAYS). */
  retentionMs: number;
  intervalMs?: number;
  logger: Logger;
  clock?: () => number;
  /** After each pass the timer ran (tests). */
  onPruned?: (outcome: { deleted: number } | { error: Error }) => void;
};

/**
 * Dead letters are kept for the retention, then deleted: they are there to find and fix
 * what a sender got wrong, and even redacted (ingest/pipeline/line-payload.ts) they are
 * input from outside that should not pile up for ever. One pass at start, then hourly; a
 * failed pass is logged and the next one tries again.
 */
export class DeadLetterRetention {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;
  private stopped = true;

  constructor(private readonly o: DeadLetterRetentionOptions) {}

  start(): void {
    this.stopped = false;
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running?.catch(() => undefined);
  }

  async pruneOnce(now: number = (this.o.clock ?? Date.now)()): Promise<number> {
    const before = new Date(now - this.o.retentionMs);
    const deleted = await this.o.store.pruneDeadLetters(before);
    if (deleted > 0) this.o.logger.info({ deleted, before: before.toISOString() }, 'dead letters past their retention deleted');
    return deleted;
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      const pass = this.pruneOnce().then(
        (deleted) => this.o.onPruned?.({ deleted }),
        (err: unknown) => {
          this.o.logger.error({ err }, 'dead letter retention failed; the next pass retries');
          this.o.onPruned?.({ error: err as Error });
        },
      );
      this.running = pass.finally(() => this.schedule(this.o.intervalMs ?? HOUR));
    }, delayMs);
    this.timer.unref();
  }
}
