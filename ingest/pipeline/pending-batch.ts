import type { AuditEvent } from '../../lib/model/audit-event';
import type { DeadLetter } from '../../lib/model/dead-letter';
import type { DekRecord } from '../../lib/model/dek-record';
import type { KeyOperation } from '../../lib/model/key-operation';
import type { Checkpoint, WriteBatch } from '../../lib/store/types';
import type { UnitItemKind } from './unit';

type Waiter = { resolve: () => void; reject: (err: Error) => void };

/**
 * One store write being assembled: records and dead letters up to the batch size, the
 * checkpoints of inputs whose last item is in it, and whoever waits for it to commit.
 */
export class PendingBatch {
  readonly items: {
    auditEvents: AuditEvent[];
    keyOperations: KeyOperation[];
    dekRecords: DekRecord[];
    deadLetters: DeadLetter[];
  } = { auditEvents: [], keyOperations: [], dekRecords: [], deadLetters: [] };
  readonly checkpoints: Checkpoint[] = [];
  size = 0;
  /** Someone waits for this batch to commit (an HTTP request): write it as soon as the writer is free. */
  urgent = false;
  private waiters: Waiter[] = [];

  get empty(): boolean {
    return this.size === 0 && this.checkpoints.length === 0 && this.waiters.length === 0;
  }

  append(kind: UnitItemKind, values: readonly unknown[]): void {
    // The unit's arrays are typed per kind; this keeps the copy loop in one place.
    const target = this.items[kind] as unknown[];
    for (const v of values) target.push(v);
    this.size += values.length;
  }

  addCheckpoints(cps: readonly Checkpoint[]): void {
    for (const c of cps) this.checkpoints.push(c);
  }

  /** A promise settled with this batch's write; never reported as unhandled if nobody awaits it. */
  waitForCommit(): Promise<void> {
    const p = new Promise<void>((resolve, reject) => this.waiters.push({ resolve, reject }));
    p.catch(() => undefined);
    return p;
  }

  toWriteBatch(source: string): WriteBatch {
    return { source, ...this.items, checkpoints: this.checkpoints };
  }

  settle(err: Error | null): void {
    const ws = this.waiters;
    this.waiters = [];
    for (const w of ws) {
      if (err === null) w.resolve();
      else w.reject(err);
    }
  }
}
