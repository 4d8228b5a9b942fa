import type { WriteResult } from '../../lib/store/types';

/** What the store did with everything a pipeline wrote: the figures of an import summary. */
export type WriteTotals = {
  batches: number;
  /** Records newly stored or superseding an older version (a later DEK record). */
  stored: number;
  /** Records the store already had (same id; a DEK record no newer than the stored one). */
  duplicates: number;
  deadLettersStored: number;
  /** Key states inserted or replaced (the inventory derived from audit events). */
  keyStatesWritten: number;
  checkpoints: number;
  byKind: Record<'auditEvents' | 'keyOperations' | 'dekRecords', { stored: number; duplicates: number }>;
};

export function emptyTotals(): WriteTotals {
  return {
    batches: 0, stored: 0, duplicates: 0, deadLettersStored: 0, keyStatesWritten: 0, checkpoints: 0,
    byKind: { auditEvents: { stored: 0, duplicates: 0 }, keyOperations: { stored: 0, duplicates: 0 }, dekRecords: { stored: 0, duplicates: 0 } },
  };
}

export function addWriteResult(t: WriteTotals, r: WriteResult): void {
  t.batches += 1;
  for (const kind of ['auditEvents', 'keyOperations', 'dekRecords'] as const) {
    const stored = r[kind].inserted + r[kind].updated;
    t.byKind[kind].stored += stored;
    t.byKind[kind].duplicates += r[kind].duplicates;
    t.stored += stored;
    t.duplicates += r[kind].duplicates;
  }
  t.deadLettersStored += r.deadLetters.inserted;
  t.keyStatesWritten += r.keyStates.inserted + r.keyStates.updated;
  t.checkpoints += r.checkpoints;
}
