import { join } from 'node:path';
import type { DekRecord } from '../../model/dek-record';
import type { KeyOperation } from '../../model/key-operation';
import { realClock, type Clock } from '../clock';
import { ByteBudget, toLine, type FlowControlledSink } from './flow-control';
import { RotatingNdjsonWriter } from './rotating-ndjson-writer';

export interface NdjsonFileSinkOptions {
  /** Root directory; files go to `<dir>/operations/` and `<dir>/dek-records/`. */
  dir: string;
  /** Lines per file before rotating (default 100 000). */
  maxLinesPerFile?: number;
  /** Bytes per file before rotating (default 64 MiB). */
  maxBytesPerFile?: number;
  /** Buffered bytes (both kinds together) at which writes start returning false (default 4 MiB). */
  highWaterMarkBytes?: number;
  /** Buffered bytes beyond which events are refused and counted as dropped (default 4 × highWaterMarkBytes). */
  maxBufferedBytes?: number;
  /** Time for file names (default the real clock; a simulated clock names files by simulated time). */
  clock?: Clock;
}

export interface NdjsonFileSinkStats {
  /** Events written to files (reached the OS). */
  written: { operations: number; dekRecords: number };
  /** Events refused at the hard buffer limit or lost to a write error. */
  dropped: number;
  bufferedBytes: number;
  files: { operations: string[]; dekRecords: string[] };
}

/**
 * Writes KeyOperations and DekRecords as NDJSON files, the format the intake and the
 * file-based importers read. Writes never wait on the disk: lines are buffered (bounded by
 * a byte budget shared by both kinds) and pumped into rotating files in the background.
 */
export class NdjsonFileSink implements FlowControlledSink {
  private readonly budget: ByteBudget;
  private readonly ops: RotatingNdjsonWriter;
  private readonly deks: RotatingNdjsonWriter;
  private readonly counts = { operations: 0, dekRecords: 0, dropped: 0 };
  private closed = false;

  constructor(options: NdjsonFileSinkOptions) {
    const hwm = options.highWaterMarkBytes ?? 4 * 1024 * 1024;
    this.budget = new ByteBudget(hwm, options.maxBufferedBytes ?? 4 * hwm);
    const clock = options.clock ?? realClock;
    const common = {
      maxLines: options.maxLinesPerFile ?? 100_000,
      maxBytes: options.maxBytesPerFile ?? 64 * 1024 * 1024,
      now: () => clock.now(),
      onDropped: (bytes: number, lines: number) => {
        this.counts.dropped += lines;
        this.budget.release(bytes);
      },
    };
    this.ops = new RotatingNdjsonWriter({
      ...common,
      dir: join(options.dir, 'operations'),
      prefix: 'operations',
      onWritten: (bytes, lines) => {
        this.counts.operations += lines;
        this.budget.release(bytes);
      },
    });
    this.deks = new RotatingNdjsonWriter({
      ...common,
      dir: join(options.dir, 'dek-records'),
      prefix: 'dek-records',
      onWritten: (bytes, lines) => {
        this.counts.dekRecords += lines;
        this.budget.release(bytes);
      },
    });
  }

  writeOperation(op: KeyOperation): boolean {
    return this.write(this.ops, op);
  }

  writeDekRecord(record: DekRecord): boolean {
    return this.write(this.deks, record);
  }

  drained(): Promise<void> {
    return this.budget.drained();
  }

  /** Resolves once every event accepted so far is in a file; rejects with a write error. */
  async flush(): Promise<void> {
    const results = await Promise.allSettled([this.ops.settled(), this.deks.settled()]);
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
  }

  async close(): Promise<void> {
    this.closed = true;
    const results = await Promise.allSettled([this.ops.close(), this.deks.close()]);
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
  }

  stats(): NdjsonFileSinkStats {
    return {
      written: { operations: this.counts.operations, dekRecords: this.counts.dekRecords },
      dropped: this.counts.dropped,
      bufferedBytes: this.budget.used,
      files: { operations: [...this.ops.files], dekRecords: [...this.deks.files] },
    };
  }

  private write(writer: RotatingNdjsonWriter, value: KeyOperation | DekRecord): boolean {
    if (this.closed) throw new Error('NdjsonFileSink is closed');
    const { line, bytes } = toLine(value);
    if (!this.budget.reserve(bytes)) {
      this.counts.dropped += 1;
      return false;
    }
    if (!writer.enqueue(line, bytes)) {
      this.budget.release(bytes);
      this.counts.dropped += 1;
      return false;
    }
    return !this.budget.full;
  }
}
