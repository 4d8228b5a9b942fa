import type { DekRecord } from '../../model/dek-record';
import type { KeyOperation } from '../../model/key-operation';
import type { EventSink } from './event-sink';

/**
 * A sink that tells producers to slow down, like a Node stream: `write*` still accepts the
 * event but returns false once the sink holds `highWaterMark` bytes, and `drained()`
 * resolves when it is below that again. Producers that ignore the signal hit a hard limit,
 * beyond which events are refused and counted as `dropped` (never dropped silently, and
 * never the oldest: what was accepted earlier is still delivered).
 */
export interface FlowControlledSink extends EventSink {
  writeOperation(op: KeyOperation): boolean;
  writeDekRecord(record: DekRecord): boolean;
  drained(): Promise<void>;
}

export function isFlowControlled(sink: EventSink): sink is FlowControlledSink {
  return typeof (sink as Partial<FlowControlledSink>).drained === 'function';
}

/** Byte accounting behind a FlowControlledSink: reserve on write, release on delivery. */
export class ByteBudget {
  private usedBytes = 0;
  private waiters: Array<() => void> = [];

  constructor(
    readonly highWaterMark: number,
    readonly hardLimit: number,
  ) {
    if (!(highWaterMark > 0 && hardLimit >= highWaterMark)) throw new RangeError('need 0 < highWaterMark <= hardLimit');
  }

  get used(): number {
    return this.usedBytes;
  }

  /** Reserves `n` bytes; false (nothing reserved) when that would pass the hard limit. */
  reserve(n: number): boolean {
    if (this.usedBytes + n > this.hardLimit) return false;
    this.usedBytes += n;
    return true;
  }

  /** True while producers should wait for `drained()`. */
  get full(): boolean {
    return this.usedBytes >= this.highWaterMark;
  }

  release(n: number): void {
    this.usedBytes = Math.max(0, this.usedBytes - n);
    if (!this.full && this.waiters.length > 0) {
      const ws = this.waiters;
      this.waiters = [];
      for (const w of ws) w();
    }
  }

  drained(): Promise<void> {
    if (!this.full) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }
}

/** One NDJSON line (with its newline) and its UTF-8 size. */
export function toLine(value: unknown): { line: string; bytes: number } {
  const line = `${JSON.stringify(value)}\n`;
  return { line, bytes: Buffer.byteLength(line) };
}
