import type { z } from 'zod';
import { DekRecordSchema, type DekRecord } from '../../lib/model/dek-record';
import { KeyOperationSchema, type KeyOperation } from '../../lib/model/key-operation';

/** The two NDJSON record kinds applications send (intake) or files hold (import). */
export const LINE_KINDS = {
  operations: KeyOperationSchema,
  dekRecords: DekRecordSchema,
} as const;
export type LineKind = keyof typeof LINE_KINDS;
export type LineRecord<K extends LineKind> = K extends 'operations' ? KeyOperation : DekRecord;

/** `parsed` holds the line's JSON when it parsed (a schema failure), null when it is not JSON. */
export type LineResult<K extends LineKind> = { ok: true; record: LineRecord<K> } | { ok: false; reason: string; parsed: { json: unknown } | null };

/** How many problems a reason lists before "and N more": enough to fix a record, short enough to read. */
const MAX_ISSUES = 5;

function describeIssues(error: z.ZodError): string {
  const parts = error.issues.slice(0, MAX_ISSUES).map((i) => `${i.path.length > 0 ? i.path.join('.') : '(record)'}: ${i.message}`);
  const more = error.issues.length - MAX_ISSUES;
  return parts.join('; ') + (more > 0 ? `; and ${more} more` : '');
}

/**
 * One NDJSON line → a validated record or why not. Schema reasons name fields and rules;
 * a JSON syntax error quotes a few characters of the line, so reasons go back to the
 * sender and into the dead letter, not into logs.
 */
export function validateLine<K extends LineKind>(kind: K, line: string): LineResult<K> {
  let json: unknown;
  try {
    json = JSON.parse(line);
  } catch (err) {
    return { ok: false, reason: `invalid JSON: ${(err as Error).message}`, parsed: null };
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    return { ok: false, reason: `expected a JSON object, got ${json === null ? 'null' : Array.isArray(json) ? 'array' : typeof json}`, parsed: { json } };
  }
  const parsed = LINE_KINDS[kind].safeParse(json);
  if (!parsed.success) return { ok: false, reason: describeIssues(parsed.error), parsed: { json } };
  return { ok: true, record: parsed.data as LineRecord<K> };
}
