import type { DekRecord } from '../../model/dek-record';
import type { KeyOperation } from '../../model/key-operation';
import type { EventSink } from '../sinks/event-sink';
import { isFlowControlled } from '../sinks/flow-control';
import type { TrafficCounters } from './progress';

/** Passes events on and counts them for the progress line. */
export class CountingSink implements EventSink {
  constructor(
    private readonly inner: EventSink,
    private readonly counters: TrafficCounters,
  ) {}

  writeOperation(op: KeyOperation): void {
    this.counters.operations += 1;
    this.inner.writeOperation(op);
  }

  writeDekRecord(record: DekRecord): void {
    this.inner.writeDekRecord(record);
  }

  /** Resolves when the inner sink can take more (backpressure from files or the intake). */
  drained(): Promise<void> {
    return isFlowControlled(this.inner) ? this.inner.drained() : Promise.resolve();
  }

  flush(): Promise<void> {
    return this.inner.flush();
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}
