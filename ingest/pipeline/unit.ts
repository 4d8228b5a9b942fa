import type { AuditEvent } from '../../lib/model/audit-event';
import type { DeadLetter } from '../../lib/model/dead-letter';
import type { DekRecord } from '../../lib/model/dek-record';
import type { KeyOperation } from '../../lib/model/key-operation';
import type { Checkpoint } from '../../lib/store/types';

/**
 * What a source hands the pipeline: validated records, the dead letters of what failed
 * validation, and the checkpoints that say "this input is done". The checkpoints are
 * committed in the same store write as the unit's last record, never earlier.
 */
export type IngestUnit = {
  auditEvents?: readonly AuditEvent[];
  keyOperations?: readonly KeyOperation[];
  dekRecords?: readonly DekRecord[];
  deadLetters?: readonly DeadLetter[];
  checkpoints?: readonly Checkpoint[];
};

/** The item arrays a unit carries, in the order the pipeline takes them. */
export const UNIT_ITEM_KINDS = ['auditEvents', 'keyOperations', 'dekRecords', 'deadLetters'] as const;
export type UnitItemKind = (typeof UNIT_ITEM_KINDS)[number];

export function unitSize(unit: IngestUnit): number {
  let n = 0;
  for (const k of UNIT_ITEM_KINDS) n += unit[k]?.length ?? 0;
  return n;
}

/**
 * Returned once the pipeline has taken a unit. `committed` settles when the store has
 * acknowledged the write holding the unit's last item and checkpoints; awaiting it is
 * optional (a rejection nobody awaits is not reported as unhandled).
 */
export type Receipt = { committed: Promise<void> };
