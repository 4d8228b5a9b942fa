const HEX_BYTE: readonly string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
const HEX_CODE: readonly number[] = Array.from('0123456789abcdef', (c) => c.charCodeAt(0));
/** uuid()'s character codes, dashes in place; filled and read synchronously on each call. */
const UUID_CODES: number[] = Array.from('00000000-0000-0000-0000-000000000000', (c) => c.charCodeAt(0));

/**
 * Seeded pseudo-random numbers for traffic shape (timing, sizes, ids, fault draws):
 * the same seed gives the same traffic. Never used for key material, IVs or DEKs,
 * which always come from crypto.randomBytes.
 */
export class SeededRandom {
  private state: number;

  constructor(seed: number) {
    // mulberry32 needs a non-zero 32-bit state.
    this.state = (seed >>> 0) || 0x9e3779b9;
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('pick from an empty list');
    return items[Math.floor(this.next() * items.length)] as T;
  }

  /** Picks by weight; weights need not sum to 1. */
  weighted<T>(items: ReadonlyArray<readonly [T, number]>): T {
    const total = items.reduce((s, [, w]) => s + w, 0);
    let r = this.next() * total;
    for (const [item, w] of items) {
      r -= w;
      if (r < 0) return item;
    }
    return items[items.length - 1]![0];
  }

  /** Standard normal by Box-Muller. */
  normal(): number {
    const u = 1 - this.next();
    const v = this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** Log-normal with the given median and shape (sigma of the underlying normal). */
  logNormal(median: number, sigma: number): number {
    return median * Math.exp(sigma * this.normal());
  }

  /** Exponential inter-arrival time for a Poisson process of `ratePerSec`, in ms. */
  exponentialMs(ratePerSec: number): number {
    return (-Math.log(1 - this.next()) / ratePerSec) * 1000;
  }

  /** `n` random bytes as lower-case hex (ids, request ids; never secrets). */
  hex(n: number): string {
    // A lookup table: same output as toString(16).padStart(2, '0'), a quarter of the cost
    // (ids are drawn several times per engine operation).
    let s = '';
    for (let i = 0; i < n; i++) s += HEX_BYTE[this.int(0, 255)];
    return s;
  }

  /** An RFC 4122 version-4 shaped UUID from this stream. */
  uuid(): string {
    // The same 16 draws and the same text as formatting hex(16) and patching the version
    // and variant nibbles, at under a third of the cost: the engine draws two or three per
    // operation. next() is inlined on a local state; a draw's byte, floor(next() * 256),
    // is its top 8 bits (exact: the division and product are by powers of two). The text
    // is made in one piece from character codes: appending 20 pieces instead left about
    // 20 intermediate strings of garbage per id (the engine's largest share per
    // operation) and a rope that every serialization had to flatten.
    let s = this.state;
    const c = UUID_CODES;
    let p = 0;
    for (let i = 0; i < 16; i++) {
      s = (s + 0x6d2b79f5) >>> 0;
      let t = s;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      let b = (t ^ (t >>> 14)) >>> 24;
      if (i === 6) b = 0x40 | (b & 0x0f); // version 4
      else if (i === 8) b = 0x80 | (b & 0x3f); // variant 10xx
      if (i === 4 || i === 6 || i === 8 || i === 10) p++; // past a dash
      c[p++] = HEX_CODE[b >>> 4]!;
      c[p++] = HEX_CODE[b & 0x0f]!;
    }
    this.state = s;
    return String.fromCharCode.apply(null, c);
  }

  /** A child stream, so that adding draws in one place does not shift another. */
  fork(label: string): SeededRandom {
    let h = this.state ^ 0x811c9dc5;
    for (let i = 0; i < label.length; i++) h = Math.imul(h ^ label.charCodeAt(i), 0x01000193);
    return new SeededRandom(h >>> 0);
  }
}
