import type { EncryptionContext } from '../encryption-context';
import { optionalObject } from './problems';

const MAX_PART = 2048;

/**
 * An encryption context from requestParameters, checked against EncryptionContextSchema's
 * rules (non-empty keys, string values, at most 2048 characters each) without copying it:
 * the event shares the map with raw. A context that breaks them is left empty, never
 * trimmed, since a changed context is a different context (raw keeps what was written).
 * CloudTrail omits an empty context, so absent means "none given" (null).
 */
export function readEncryptionContext(requestParameters: Record<string, unknown> | null | undefined, key: string): EncryptionContext | null {
  const ctx = optionalObject(requestParameters, key);
  if (!ctx) return null;
  for (const name in ctx) {
    if (!Object.hasOwn(ctx, name)) continue;
    const value = ctx[name];
    if (name.length === 0 || name.length > MAX_PART || typeof value !== 'string' || value.length > MAX_PART) return null;
  }
  return ctx as EncryptionContext;
}
