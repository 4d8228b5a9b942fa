import type { SeededRandom } from '../random';
import { diurnalFactor } from './diurnal';

/** A source of work at points in time; the generator always runs the earliest due one. */
export interface Stream {
  readonly name: string;
  /** Time of the next item, or Infinity when the stream is done. */
  next: number;
  /** Runs the item at `next` and moves `next` on. */
  fire(): Promise<void>;
}

const PEAK = 1.6; // diurnalFactor's maximum

/**
 * Poisson arrivals whose rate follows the diurnal curve, by thinning: draw at the peak
 * rate and keep each arrival with probability factor(t) / peak.
 */
export function diurnalPoisson(name: string, ratePerSec: number, fromMs: number, toMs: number, random: SeededRandom, run: () => Promise<void>): Stream {
  const nextArrival = (t: number): number => {
    let at = t;
    for (;;) {
      at += random.exponentialMs(ratePerSec * PEAK);
      if (at >= toMs) return Infinity;
      if (random.chance(diurnalFactor(at) / PEAK)) return at;
    }
  };
  const s: Stream = {
    name,
    next: ratePerSec > 0 ? nextArrival(fromMs) : Infinity,
    async fire() {
      const at = s.next;
      s.next = nextArrival(at);
      await run();
    },
  };
  return s;
}

/**
 * Work at a fixed rate between two times. `run` returns false when it found nothing to do,
 * and the stream then idles for `idleMs` before trying again.
 */
export function fixedRate(name: string, ratePerSec: number, fromMs: number, toMs: number, run: () => Promise<boolean | void>, idleMs = 30_000): Stream {
  const step = 1000 / ratePerSec;
  const s: Stream = {
    name,
    next: fromMs < toMs ? fromMs : Infinity,
    async fire() {
      const at = s.next;
      const didWork = await run();
      const after = at + (didWork === false ? idleMs : step);
      s.next = after < toMs ? after : Infinity;
    },
  };
  return s;
}

/** Something that happens once. */
export function once(name: string, atMs: number, run: () => Promise<void>): Stream {
  const s: Stream = {
    name,
    next: atMs,
    async fire() {
      s.next = Infinity;
      await run();
    },
  };
  return s;
}

export function earliest(streams: readonly Stream[]): Stream | null {
  let best: Stream | null = null;
  for (const s of streams) if (s.next !== Infinity && (best === null || s.next < best.next)) best = s;
  return best;
}
