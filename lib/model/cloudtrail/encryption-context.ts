import type { EncryptionContext } from '../encryption-context';
import { formatPath, optionalObject, RecordProblem, typeName } from './problems';

const MAX_PART = 2048;

/**
 * An encryption context from requestParameters, checked against EncryptionContextSchema's
 * rules (non-empty keys, string values, at most 2048 characters each) without copying it:
 * the event shares the map with raw. A context that breaks them is reported, never
 * trimmed, since a changed context is a different context. CloudTrail omits an empty
 * context, so absent means "none given" (null).
 */
export function readEncryptionContext(requestParameters: Record<string, unknown> | null | undefined, key: string): EncryptionContext | null {
  const ctx = optionalObject(requestParameters, key, 'requestParameters');
  if (!ctx) return null;
  for (const name in ctx) {
    if (!Object.hasOwn(ctx, name)) continue;
    const value = ctx[name];
    const path = formatPath(['requestParameters', key, name]);
    if (name.length === 0) throw new RecordProblem(path, 'encryption context keys must not be empty');
    if (name.length > MAX_PART) throw new RecordProblem(formatPath(['requestParameters', key]), `a key is longer than ${MAX_PART} characters (${name.length})`);
    if (typeof value !== 'string') throw new RecordProblem(path, `expected string, got ${typeName(value)}`);
    if (value.length > MAX_PART) throw new RecordProblem(path, `longer than ${MAX_PART} characters (${value.length})`);
  }
  return ctx as EncryptionContext;
}
