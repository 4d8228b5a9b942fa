import type { Logger } from 'pino';
import type { KeyInventory } from '../../lib/inventory/key-inventory';
import type { Store, WriteBatch, WriteResult } from '../../lib/store/types';
import { PipelineClosedError, PipelineFailedError } from '../errors';
import { PendingBatch } from './pending-batch';
import { addWriteResult, emptyTotals, type WriteTotals } from './totals';
import { UNIT_ITEM_KINDS, type IngestUnit, type Receipt } from './unit';

export type PipelineOptions = {
  /** The ingest source written to each batch (ingest health on the dashboard). */
  source: string;
  store: Pick<Store, 'writeBatch'>;
  /** A batch is written when it holds this many records and dead letters... */
  batchRecords: number;
  /** ...or when its first item has waited this long, or at once when someone awaits its commit. */
  batchMaxAgeMs: number;
  /** Attempts per batch before the pipeline fails (default 5), with doubling waits from retryBaseMs (200). */
  maxWriteAttempts?: number;
  retryBaseMs?: number;
  logger?: Logger;
  /** Every acknowledged write (progress bars). */
  onWrite?: (result: WriteResult) => void;
  /**
   * The key inventory, seeded from the store's key states: each batch's audit events are
   * applied to it and the key states they changed are written in the same store write.
   */
  keyInventory?: KeyInventory;
  /** Called when a submitter starts waiting for room: the store is behind (metrics, tests). */
  onBackpressure?: () => void;
  /** Called once when the pipeline gives up; the service shuts down on it. */
  onFailure?: (err: PipelineFailedError) => void;
};

export type PipelineStats = { buffered: number; writing: number; failed: boolean; totals: WriteTotals };

/**
 * The batch → write end of ingestion (DESIGN.md, "Data flow"). Sources submit validated
 * units; the pipeline cuts them into store writes of at most `batchRecords` items, each
 * one `writeBatch` call with the checkpoints of the inputs that end in it, so a crash
 * leaves each input either done (records and checkpoint) or to be read again (and its
 * records deduplicated by id). One batch is written while the next fills; a source
 * submitting into a full batch waits for the write: memory stays at two batches plus
 * what sources hold, whatever the input size.
 *
 * A write that fails is retried (the batch is idempotent); when the retries are spent the
 * pipeline fails closed: later batches could hold checkpoints of inputs whose earlier
 * records were lost, so nothing more is written. A restart resumes from the checkpoints.
 */
export class Pipeline {
  private current = new PendingBatch();
  private writing: Promise<void> | null = null;
  private writingSize = 0;
  private timer: NodeJS.Timeout | null = null;
  private roomWaiters: Array<() => void> = [];
  private lock: Promise<unknown> = Promise.resolve();
  private flushers = 0;
  private closed = false;
  private failure: PipelineFailedError | null = null;
  private readonly totals = emptyTotals();

  constructor(private readonly o: PipelineOptions) {
    if (!(o.batchRecords >= 1)) throw new RangeError('batchRecords must be at least 1');
  }

  get source(): string {
    return this.o.source;
  }

  /**
   * Takes a unit, waiting while the pipeline is full (backpressure). Submissions are taken
   * one at a time, in order. `urgent` writes the batch as soon as the writer is free.
   */
  submit(unit: IngestUnit, options: { urgent?: boolean } = {}): Promise<Receipt> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.closed) return Promise.reject(new PipelineClosedError(`${this.o.source} pipeline is closed`));
    const run = this.lock.then(() => this.take(unit, options.urgent === true));
    this.lock = run.catch(() => undefined);
    return run;
  }

  /** Writes everything taken so far; resolves when the store has acknowledged it, rejects if the pipeline failed. */
  async flush(): Promise<void> {
    this.flushers += 1;
    try {
      while (!this.current.empty || this.writing) {
        this.kick();
        if (this.writing) await this.writing;
        if (this.failure) break;
      }
      if (this.failure) throw this.failure;
    } finally {
      this.flushers -= 1;
    }
  }

  /** Refuses new units, lets the ones already submitted in, writes everything. */
  async close(): Promise<void> {
    this.closed = true;
    await this.lock;
    await this.flush();
  }

  stats(): PipelineStats {
    return { buffered: this.current.size, writing: this.writingSize, failed: this.failure !== null, totals: structuredClone(this.totals) };
  }

  private async take(unit: IngestUnit, urgent: boolean): Promise<Receipt> {
    for (const kind of UNIT_ITEM_KINDS) {
      const values = unit[kind];
      if (values === undefined) continue;
      let offset = 0;
      while (offset < values.length) {
        await this.room();
        const n = Math.min(values.length - offset, this.o.batchRecords - this.current.size);
        this.current.append(kind, n === values.length ? values : values.slice(offset, offset + n));
        offset += n;
      }
    }
    // With the unit's last item, in the same batch even when that item fills it (the
    // kick below comes after), so a write's checkpoints cover what it holds and no later.
    if (unit.checkpoints !== undefined) this.current.addCheckpoints(unit.checkpoints);
    const committed = this.current.waitForCommit();
    if (urgent) this.current.urgent = true;
    this.kick();
    return { committed };
  }

  /** Waits until the batch being filled has room. */
  private async room(): Promise<void> {
    for (;;) {
      if (this.failure) throw this.failure;
      if (this.current.size < this.o.batchRecords) return;
      this.kick();
      if (this.current.size < this.o.batchRecords) return;
      const wait = new Promise<void>((resolve) => this.roomWaiters.push(resolve));
      this.o.onBackpressure?.();
      await wait;
    }
  }

  /** Starts writing the batch being filled when it is due and the writer is free; else arms its age timer. */
  private kick(): void {
    if (this.current.empty) return this.clearTimer();
    const due = this.current.size >= this.o.batchRecords || this.current.urgent || this.flushers > 0;
    if (!due) {
      this.timer ??= setTimeout(() => {
        this.timer = null;
        this.current.urgent = true;
        this.kick();
      }, this.o.batchMaxAgeMs);
      return;
    }
    if (this.writing) return; // re-kicked when the write ends
    this.clearTimer();
    const batch = this.current;
    this.current = new PendingBatch();
    this.writingSize = batch.size;
    this.writing = this.write(batch).finally(() => {
      this.writing = null;
      this.writingSize = 0;
      this.kick();
      this.wakeRoomWaiters();
    });
    this.wakeRoomWaiters();
  }

  private async write(batch: PendingBatch): Promise<void> {
    if (this.failure) return batch.settle(this.failure);
    if (batch.size === 0 && batch.checkpoints.length === 0) return batch.settle(null);
    const wb = this.withKeyStates(batch.toWriteBatch(this.o.source));
    const maxAttempts = this.o.maxWriteAttempts ?? 5;
    for (let attempt = 1; ; attempt++) {
      try {
        const result = await this.o.store.writeBatch(wb);
        addWriteResult(this.totals, result);
        this.o.onWrite?.(result);
        return batch.settle(null);
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        if (attempt >= maxAttempts) {
          this.fail(new PipelineFailedError(`${this.o.source}: store write failed ${attempt} times, last: ${message}`, { cause: err }));
          return batch.settle(this.failure);
        }
        const waitMs = (this.o.retryBaseMs ?? 200) * 2 ** (attempt - 1);
        this.o.logger?.warn({ source: this.o.source, attempt, waitMs, err: message, records: batch.size }, 'store write failed; retrying');
        await new Promise((r) => setTimeout(r, waitMs));
      }
    }
  }

  /** Applying twice (a retried write) changes nothing: the inventory's merges are idempotent. */
  private withKeyStates(wb: WriteBatch): WriteBatch {
    const inv = this.o.keyInventory;
    if (inv === undefined || wb.auditEvents === undefined || wb.auditEvents.length === 0) return wb;
    const changed = inv.applyEvents(wb.auditEvents);
    return changed.size === 0 ? wb : { ...wb, keyStates: inv.keyStates(changed) };
  }

  private fail(err: PipelineFailedError): void {
    this.failure = err;
    this.clearTimer();
    this.current.settle(err);
    this.wakeRoomWaiters();
    this.o.logger?.error({ source: this.o.source, err: err.message }, 'pipeline failed; nothing more is written');
    this.o.onFailure?.(err);
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private wakeRoomWaiters(): void {
    const ws = this.roomWaiters;
    this.roomWaiters = [];
    for (const w of ws) w();
  }
}
