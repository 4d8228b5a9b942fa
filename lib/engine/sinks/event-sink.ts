import type { DekRecord } from '../../model/dek-record';
import type { KeyOperation } from '../../model/key-operation';

/**
 * Where the engine's application-side events go: NDJSON files, the ingest intake, or
 * memory in tests. `write*` must not block the caller on I/O; sinks buffer (bounded) and
 * `flush` waits until everything accepted so far is delivered.
 */
export interface EventSink {
  writeOperation(op: KeyOperation): void;
  writeDekRecord(record: DekRecord): void;
  flush(): Promise<void>;
  close(): Promise<void>;
}

/** Keeps events in arrays; for tests and for in-process consumers. */
export class MemorySink implements EventSink {
  readonly operations: KeyOperation[] = [];
  readonly dekRecords: DekRecord[] = [];

  writeOperation(op: KeyOperation): void {
    this.operations.push(op);
  }

  writeDekRecord(record: DekRecord): void {
    this.dekRecords.push(record);
  }

  async flush(): Promise<void> {}

  async close(): Promise<void> {}
}

/** Sends every event to each of several sinks. */
export class FanOutSink implements EventSink {
  constructor(private readonly sinks: readonly EventSink[]) {}

  writeOperation(op: KeyOperation): void {
    for (const s of this.sinks) s.writeOperation(op);
  }

  writeDekRecord(record: DekRecord): void {
    for (const s of this.sinks) s.writeDekRecord(record);
  }

  async flush(): Promise<void> {
    await Promise.all(this.sinks.map((s) => s.flush()));
  }

  async close(): Promise<void> {
    await Promise.all(this.sinks.map((s) => s.close()));
  }
}
