import type { DeadLetter } from '../../lib/model/dead-letter';
import type { DekRecord } from '../../lib/model/dek-record';
import type { KeyOperation } from '../../lib/model/key-operation';
import { makeDeadLetter } from './dead-letter';
import type { IngestUnit } from './unit';
import { validateLine, type LineKind } from './validate-line';

/** Longest reason a rejection carries back (IntakeRejectionSchema allows 2048). */
const MAX_REJECTION = 2048;

export type LineRejection = { line: number; error: string };

export type NdjsonContext = {
  source: string;
  /** Where line `n` (1-based) came from, for the dead letter. */
  location: (line: number) => string;
  /** Identity of line `n` for its dead letter's id (see makeDeadLetter). */
  identity: (line: number, text: string) => string;
  receivedAt: Date;
};

export type NdjsonLinesResult = { unit: IngestUnit; accepted: number; rejections: LineRejection[] };

/**
 * Validates NDJSON lines of one kind into a unit: records for the good lines, a dead
 * letter per bad line, and the bad lines' numbers and reasons. Blank lines (the final
 * newline, padding) are neither records nor errors. `firstLine` numbers the first line.
 */
export function validateNdjsonLines(kind: LineKind, lines: readonly string[], firstLine: number, ctx: NdjsonContext): NdjsonLinesResult {
  const records: Array<KeyOperation | DekRecord> = [];
  const deadLetters: DeadLetter[] = [];
  const rejections: LineRejection[] = [];
  for (let i = 0; i < lines.length; i++) {
    const text = lines[i]!;
    if (text.trim() === '') continue;
    const line = firstLine + i;
    const result = validateLine(kind, text);
    if (result.ok) {
      records.push(result.record);
      continue;
    }
    rejections.push({ line, error: result.reason.slice(0, MAX_REJECTION) });
    deadLetters.push(
      makeDeadLetter({
        source: ctx.source,
        location: ctx.location(line),
        reason: result.reason,
        payload: text,
        identity: ctx.identity(line, text),
        receivedAt: ctx.receivedAt,
      }),
    );
  }
  const unit: IngestUnit =
    kind === 'operations' ? { keyOperations: records as KeyOperation[], deadLetters } : { dekRecords: records as DekRecord[], deadLetters };
  return { unit, accepted: records.length, rejections };
}
