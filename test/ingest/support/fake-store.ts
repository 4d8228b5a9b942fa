import type { WriteBatch, WriteResult } from '../../../lib/store/types';

const zero = () => ({ inserted: 0, updated: 0, duplicates: 0 });

/** A store stand-in that records every write; `gate` holds writes until released, `fail` throws. */
export class RecordingStore {
  readonly writes: WriteBatch[] = [];
  private ids = new Set<string>();
  gate: Promise<void> | null = null;
  failuresLeft = 0;

  hold(): () => void {
    let release!: () => void;
    this.gate = new Promise((r) => (release = r));
    return () => {
      this.gate = null;
      release();
    };
  }

  writeBatch = async (b: WriteBatch): Promise<WriteResult> => {
    if (this.gate) await this.gate;
    if (this.failuresLeft > 0) {
      this.failuresLeft--;
      throw new Error('disk I/O error');
    }
    this.writes.push(b);
    const result: WriteResult = {
      auditEvents: zero(), keyOperations: zero(), dekRecords: zero(), deadLetters: zero(), keyStates: zero(), alerts: zero(),
      checkpoints: b.checkpoints?.length ?? 0,
    };
    for (const op of b.keyOperations ?? []) {
      if (this.ids.has(op.id)) {
        result.keyOperations.duplicates++;
      } else {
        this.ids.add(op.id);
        result.keyOperations.inserted++;
      }
    }
    result.deadLetters.inserted = b.deadLetters?.length ?? 0;
    return result;
  };

  sizes(): number[] {
    return this.writes.map((w) => (w.keyOperations?.length ?? 0) + (w.deadLetters?.length ?? 0) + (w.auditEvents?.length ?? 0) + (w.dekRecords?.length ?? 0));
  }
}
