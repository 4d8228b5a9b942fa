import type { DeadLetter } from '../../lib/model/dead-letter';
import type { DekRecord } from '../../lib/model/dek-record';
import type { KeyOperation } from '../../lib/model/key-operation';
import { timeProblem, type TimeBounds, type TimeMode } from '../../lib/model/time-window';
import { makeDeadLetter } from './dead-letter';
import { deadLetterPayload } from './line-payload';
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
  /** How record times are bounded: the intake is live, import takes history (lib/model/time-window.ts). */
  times: { mode: TimeMode; bounds?: TimeBounds };
  /** Why a valid record's service or tenant is outside its writer's token scope, or null (intake with tokens). */
  scope?: (service: string, tenant: string) => string | null;
};

/** The times a record carries from its sender, each bounded at the edge. */
function recordTimes(kind: LineKind, r: KeyOperation | DekRecord): Array<[string, string]> {
  if (kind === 'operations') return [['time', (r as KeyOperation).time]];
  const d = r as DekRecord;
  return [['encryptedAt', d.encryptedAt], ['updatedAt', d.updatedAt]];
}

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
    let reason: string;
    // A valid record out of its time window or its writer's scope is kept whole (it has only known fields); any other line as its field names.
    let payload = text;
    if (result.ok) {
      const late = recordTimes(kind, result.record)
        .map(([field, time]) => timeProblem(field, time, ctx.receivedAt.getTime(), ctx.times.mode, ctx.times.bounds))
        .find((p) => p !== null) ?? ctx.scope?.(result.record.service, result.record.tenant) ?? null;
      if (late === null) {
        records.push(result.record);
        continue;
      }
      reason = late;
    } else {
      reason = result.reason;
      payload = deadLetterPayload(text, result.parsed);
    }
    rejections.push({ line, error: reason.slice(0, MAX_REJECTION) });
    deadLetters.push(
      makeDeadLetter({
        source: ctx.source,
        location: ctx.location(line),
        reason,
        payload,
        identity: ctx.identity(line, text),
        receivedAt: ctx.receivedAt,
      }),
    );
  }
  const unit: IngestUnit =
    kind === 'operations' ? { keyOperations: records as KeyOperation[], deadLetters } : { dekRecords: records as DekRecord[], deadLetters };
  return { unit, accepted: records.length, rejections };
}
