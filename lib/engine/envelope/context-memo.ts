import type { EncryptionContext } from '../../model/encryption-context';
import { canonicalizeContext } from './context';

export interface CanonicalContext {
  /** canonicalizeContext's bytes; shared between calls, so never to be modified. */
  bytes: Buffer;
  /** The same bytes as a latin1 string (1:1), for use as a map key. */
  key: string;
}

/**
 * Remembers canonical encodings of recently seen encryption contexts.
 *
 * Traffic repeats a few contexts (that is what makes a cached DEK useful), and encoding
 * one costs several times more than JSON.stringify plus a map lookup. JSON text is an
 * exact, unambiguous image of the object's content in its property order, so a hit is
 * always the right encoding even if the caller mutated or rebuilt the object; a context
 * with another property order is simply another entry. Bounded: cleared when full.
 */
export class ContextMemo {
  private readonly entries = new Map<string, CanonicalContext>();

  constructor(private readonly maxEntries = 256) {}

  get(ctx: EncryptionContext): CanonicalContext {
    const text = JSON.stringify(ctx);
    const hit = this.entries.get(text);
    if (hit) return hit;
    const bytes = canonicalizeContext(ctx);
    const entry = { bytes, key: bytes.toString('latin1') };
    if (this.entries.size >= this.maxEntries) this.entries.clear();
    this.entries.set(text, entry);
    return entry;
  }
}
