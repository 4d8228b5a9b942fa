/**
 * Small measuring kit for benchmarks: time-boxed loops, repeated in interleaved rounds so
 * that the machine's background load hits the engine and its baseline alike, and the
 * median round reported. Ratios, not absolute times, are what the docs quote.
 */
export interface Rate {
  opsPerSec: number;
  bytesPerSec: number;
  /**
   * Operations per second of this process's CPU time (user + system, all its threads,
   * GC helpers included): unlike the wall-clock rate, not inflated by time other
   * processes hold the CPU. Set by `measure`.
   */
  opsPerCpuSec?: number;
}

/** A timed loop: calls `fn` until `deadline` (hrtime ns), returns the calls made and when it stopped. */
type TimedLoop = (fn: () => unknown, deadline: bigint) => Promise<{ ops: number; end: bigint }>;

const LOOP_BODY = `
  let ops = 0;
  let now = process.hrtime.bigint();
  while (now < deadline) {
    for (let i = 0; i < 16; i++) await fn();
    ops += 16;
    now = process.hrtime.bigint();
  }
  return { ops, end: now };`;

/**
 * A timed loop of its own for one case. V8 keeps type feedback per function literal, so
 * one loop shared by several cases sees them all: its call site goes polymorphic, and
 * the optimized loop (with the case inlined) is thrown away and recompiled every time
 * the case changes, so each timed run starts slow and pays for a recompile on a helper
 * thread, more for a case with more code to inline (the engine) than for raw. A loop
 * compiled from its own source (the label makes it unique, so V8 does not reuse a cached
 * compile) sees one case only and stays optimized from round to round.
 */
export function timedLoopFor(label: string): TimedLoop {
  return new Function('process', `return async function timedLoop(fn, deadline) { /* ${label.replace(/\*\//g, '')} */${LOOP_BODY}\n};`)(process) as TimedLoop;
}

/** Calls `fn` for about `budgetMs` after a short warm-up, in `loop` (this case's timedLoopFor). */
export async function measure(fn: () => unknown | Promise<unknown>, bytesPerOp: number, budgetMs: number, loop: TimedLoop): Promise<Rate> {
  // Warm-up: JIT, caches, first allocations.
  for (let i = 0; i < 20; i++) await fn();
  const cpu0 = process.cpuUsage();
  const start = process.hrtime.bigint();
  const { ops, end } = await loop(fn, start + BigInt(Math.round(budgetMs * 1e6)));
  const cpu = process.cpuUsage(cpu0);
  const secs = Number(end - start) / 1e9;
  return { opsPerSec: ops / secs, bytesPerSec: (ops * bytesPerOp) / secs, opsPerCpuSec: ops / ((cpu.user + cpu.system) / 1e6) };
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

export const fmtRate = (n: number) => (n >= 100 ? Math.round(n).toLocaleString('en-US') : n.toFixed(1));
export const mb = (bytesPerSec: number) => (bytesPerSec / (1024 * 1024)).toFixed(1);

export interface RoundsOptions {
  rounds: number;
  budgetMs: number;
  /** Called before each timed run, outside the timing (e.g. a forced GC, so that no case pays for another's garbage). */
  beforeEach?: () => void;
  /** Runs every case once before the rounds and drops the figures (JIT tiers, heap growth, first page faults). */
  discardFirstRound?: boolean;
}

export interface RoundsResult {
  /** Per case, one rate per round, in round order: round r of every case ran back to back. */
  rounds: Record<string, Rate[]>;
  /** Per case, the median of its rounds. */
  median: Record<string, Rate>;
}

/**
 * For paired ratios: every round runs each case once, starting at a
 * different case each round (rotation), so that neither drift over the run nor a
 * fixed position in the round (after the same neighbour, same GC debt) favours one.
 * Use `pairedRatio` on two cases' rounds.
 */
export async function compareRounds(cases: Record<string, () => unknown | Promise<unknown>>, bytesPerOp: number, opts: RoundsOptions): Promise<RoundsResult> {
  const names = Object.keys(cases);
  const loops = new Map(names.map((n) => [n, timedLoopFor(n)]));
  const run = async (name: string) => {
    opts.beforeEach?.();
    return measure(cases[name]!, bytesPerOp, opts.budgetMs, loops.get(name)!);
  };
  if (opts.discardFirstRound) for (const name of names) await run(name);
  const rounds: Record<string, Rate[]> = Object.fromEntries(names.map((n) => [n, []]));
  for (let r = 0; r < opts.rounds; r++) {
    for (let i = 0; i < names.length; i++) {
      const name = names[(r + i) % names.length]!;
      rounds[name]!.push(await run(name));
    }
  }
  const med = Object.fromEntries(names.map((n) => [n, medianRate(rounds[n]!)]));
  return { rounds, median: med };
}

/** The median of each figure of some runs of one case. */
export function medianRate(rs: Rate[]): Rate {
  return { opsPerSec: median(rs.map((x) => x.opsPerSec)), bytesPerSec: median(rs.map((x) => x.bytesPerSec)), opsPerCpuSec: median(rs.map((x) => x.opsPerCpuSec ?? Number.NaN)) };
}

/**
 * a/b per round (rounds taken side by side), summarized: median, and the lowest and
 * highest round. By wall-clock rate, or with `cpu` by rate per CPU second.
 */
export function pairedRatio(a: Rate[], b: Rate[], cpu = false): { median: number; min: number; max: number } {
  if (a.length !== b.length || a.length === 0) throw new RangeError('pairedRatio: need the same, non-zero number of rounds');
  const rate = (x: Rate) => (cpu ? (x.opsPerCpuSec ?? Number.NaN) : x.opsPerSec);
  const r = a.map((x, i) => rate(x) / rate(b[i]!));
  return { median: median(r), min: Math.min(...r), max: Math.max(...r) };
}

/** Median of three timed calls (ms); `before` runs untimed ahead of each (e.g. clearing a cache). */
export async function medianOf3(fn: () => Promise<unknown>, before?: () => Promise<unknown>): Promise<number> {
  const xs: number[] = [];
  for (let i = 0; i < 3; i++) {
    await before?.();
    const t = process.hrtime.bigint();
    await fn();
    xs.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  return median(xs);
}
