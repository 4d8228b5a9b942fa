import type { Logger } from 'pino';
import type { Store } from '../../lib/store/types';
import { RepeatingTask } from './repeating-task';

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
  private readonly loop: RepeatingTask<number>;

  constructor(private readonly o: DeadLetterRetentionOptions) {
    this.loop = new RepeatingTask({
      run: () => this.pruneOnce(),
      intervalMs: o.intervalMs ?? HOUR,
      unref: true,
      onOutcome: (outcome) => {
        if ('error' in outcome) {
          this.o.logger.error({ err: outcome.error }, 'dead letter retention failed; the next pass retries');
          this.o.onPruned?.({ error: outcome.error });
        } else this.o.onPruned?.({ deleted: outcome.value });
      },
    });
  }

  start(): void {
    this.loop.start();
  }

  stop(): Promise<void> {
    return this.loop.stop();
  }

  async pruneOnce(now: number = (this.o.clock ?? Date.now)()): Promise<number> {
    const before = new Date(now - this.o.retentionMs);
    const deleted = await this.o.store.pruneDeadLetters(before);
    if (deleted > 0) this.o.logger.info({ deleted, before: before.toISOString() }, 'dead letters past their retention deleted');
    return deleted;
  }
}
