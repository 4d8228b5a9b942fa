interface Entry<V> {
  bytes: Buffer;
  value: V;
  used: boolean;
}

/**
 * A small bounded memo keyed by byte strings, for values derived from bytes that repeat
 * from message to message (decode.ts: an envelope header, identical for every message
 * under one DEK), so that decrypting does not decode them again.
 *
 * Why not a Map keyed by the bytes as a latin1 string: V8 hashes a new string in full on
 * every lookup, and building it is a native call; for a 300-byte header that costs about
 * a microsecond, as much as the decoding it would save. Here a hash of the bytes picks
 * the entry and a byte comparison with a private copy confirms it: a hit is exact (same
 * bytes, not just same hash), and a colliding newcomer replaces the entry. Bounded at
 * `max` entries, evicting roughly the least recently used. Only public data belongs here
 * (ids, contexts, wrapped keys): entries keep a copy of their bytes.
 */
export class ByteMemo<V> {
  private readonly entries = new Map<number, Entry<V>>();
  /** The entry of the last hit: straight-line reads ask for the same bytes again and again. */
  private last: Entry<V> | undefined;

  constructor(private readonly max: number) {
    if (!Number.isInteger(max) || max < 1) throw new RangeError('ByteMemo: max must be a positive integer');
  }

  /** The value stored for exactly the bytes buf[start, end), if any. */
  get(buf: Uint8Array, start: number, end: number): V | undefined {
    // The last hit first: one byte comparison confirms it, with no hash of the range.
    const last = this.last;
    if (last !== undefined && sameBytes(last.bytes, buf, start, end)) {
      last.used = true;
      return last.value;
    }
    const e = this.entries.get(hashBytes(buf, start, end));
    if (e === undefined || !sameBytes(e.bytes, buf, start, end)) return undefined;
    // A flag, not a reinsertion: reordering the Map on every hit churns its table.
    e.used = true;
    this.last = e;
    return e.value;
  }

  set(buf: Uint8Array, start: number, end: number, value: V): void {
    const h = hashBytes(buf, start, end);
    const old = this.entries.get(h);
    if (old !== undefined) this.drop(h, old);
    else if (this.entries.size >= this.max) this.evictOne();
    this.entries.set(h, { bytes: copyBytes(buf, start, end), value, used: false });
  }

  /** Removes an entry for good, and the last-hit shortcut to it. */
  private drop(h: number, e: Entry<V>): void {
    this.entries.delete(h);
    if (this.last === e) this.last = undefined;
  }

  /**
   * CLOCK (second chance), an approximation of least recently used: from the oldest
   * insertion, an entry used since its last pass moves to the back unused, the first
   * unused one goes. Ends within two passes.
   */
  private evictOne(): void {
    for (const [h, e] of this.entries) {
      if (!e.used) return this.drop(h, e);
      // Second chance: to the back, unused, still the last hit if it was.
      this.entries.delete(h);
      e.used = false;
      this.entries.set(h, e);
    }
  }
}

/** Ranges up to this long are hashed in full and compared in JS; longer ones are sampled and compared natively. */
const SHORT = 64;

/**
 * 32-bit MurmurHash3-style hash of buf[start, end), cut to 30 bits so that it stays a
 * small integer (a cheap Map key). A range longer than SHORT is hashed by its first and
 * last 32 bytes: that is only the choice of slot (the memo compares every byte), and
 * envelope fields differ at their ends (DEK ids, wrapped keys). Not for anything adversarial.
 */
function hashBytes(buf: Uint8Array, start: number, end: number): number {
  const n = end - start;
  if (n <= SHORT) return finish(mix(n, buf, start, end), n);
  return finish(mix(mix(n, buf, start, start + 32), buf, end - 32, end), n);
}

function mix(h: number, buf: Uint8Array, start: number, end: number): number {
  let i = start;
  for (; i + 4 <= end; i += 4) {
    let k = buf[i]! | (buf[i + 1]! << 8) | (buf[i + 2]! << 16) | (buf[i + 3]! << 24);
    k = Math.imul(k, 0xcc9e2d51);
    k = Math.imul((k << 15) | (k >>> 17), 0x1b873593);
    h ^= k;
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  let k = 0;
  for (let s = 0; i < end; i++, s += 8) k |= buf[i]! << s;
  k = Math.imul(k, 0xcc9e2d51);
  return h ^ Math.imul((k << 15) | (k >>> 17), 0x1b873593);
}

function finish(h: number, n: number): number {
  h ^= n;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h & 0x3fffffff;
}

/** True when `a` holds exactly the bytes buf[start, end). */
function sameBytes(a: Buffer, buf: Uint8Array, start: number, end: number): boolean {
  const n = end - start;
  if (a.length !== n) return false;
  // A native compare has a fixed cost of a few hundred bytes' worth of JS loop.
  if (n > SHORT) return a.compare(buf, start, end) === 0;
  for (let i = 0; i < n; i++) if (a[i] !== buf[start + i]) return false;
  return true;
}

/** A private copy (not from Buffer's shared pool, which it would pin). */
function copyBytes(buf: Uint8Array, start: number, end: number): Buffer {
  const b = Buffer.allocUnsafeSlow(end - start);
  b.set(buf.subarray(start, end));
  return b;
}
