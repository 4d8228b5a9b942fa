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
 *
 * In front of that, the last object seen and a snapshot of its keys and values: callers
 * that pass one context object again and again (a per-tenant constant) skip the
 * JSON.stringify too. The snapshot is compared in full, so a mutated object misses.
 */
export class ContextMemo {
  private readonly entries = new Map<string, CanonicalContext>();
  private last: { ctx: EncryptionContext; keys: string[]; values: string[]; entry: CanonicalContext } | null = null;

  constructor(private readonly maxEntries = 256) {}

  get(ctx: EncryptionContext): CanonicalContext {
    const last = this.last;
    if (last !== null && last.ctx === ctx && sameContent(ctx, last.keys, last.values)) return last.entry;
    const entry = this.byText(ctx);
    // byText succeeded, so every value is a string (canonicalizeContext checked them).
    const keys = Object.keys(ctx);
    this.last = { ctx, keys, values: keys.map((k) => ctx[k]!), entry };
    return entry;
  }

  private byText(ctx: EncryptionContext): CanonicalContext {
    // JSON drops or converts what is not a string (undefined, numbers, toJSON), so a text
    // hit alone could stand for a context that canonicalizeContext would refuse.
    for (const k in ctx) if (typeof ctx[k] !== 'string') return this.encode(ctx);
    const text = JSON.stringify(ctx);
    const hit = this.entries.get(text);
    if (hit) return hit;
    const entry = this.encode(ctx);
    if (this.entries.size >= this.maxEntries) this.entries.clear();
    this.entries.set(text, entry);
    return entry;
  }

  private encode(ctx: EncryptionContext): CanonicalContext {
    const bytes = canonicalizeContext(ctx);
    return { bytes, key: bytes.toString('latin1') };
  }
}

/** True when `ctx` has exactly these own enumerable keys, in this order, with these values. */
function sameContent(ctx: EncryptionContext, keys: string[], values: string[]): boolean {
  const now = Object.keys(ctx);
  if (now.length !== keys.length) return false;
  for (let i = 0; i < now.length; i++) {
    const k = now[i]!;
    if (k !== keys[i] || ctx[k] !== values[i]) return false;
  }
  return true;
}
