/**
 * Small measuring kit for benchmarks: time-boxed loops, repeated in interleaved rounds so
 * that the machine's background load hits the engine and its baseline alike, and the
 * median round reported. Ratios, not absolute times, are what the docs quote.
 */
export interface Rate {
  opsPerSec: number;
  bytesPerSec: number;
}

export async function measure(fn: () => unknown | Promise<unknown>, bytesPerOp: number, budgetMs: number): Promise<Rate> {
  // Warm-up: JIT, caches, first allocations.
  for (let i = 0; i < 20; i++) await fn();
  let ops = 0;
  const start = process.hrtime.bigint();
  const deadline = start + BigInt(Math.round(budgetMs * 1e6));
  let now = start;
  while (now < deadline) {
    for (let i = 0; i < 16; i++) await fn();
    ops += 16;
    now = process.hrtime.bigint();
  }
  const secs = Number(now - start) / 1e9;
  return { opsPerSec: ops / secs, bytesPerSec: (ops * bytesPerOp) / secs };
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Runs each named case `rounds` times, interleaved, and returns the median rate of each. */
export async function compare(cases: Record<string, () => unknown | Promise<unknown>>, bytesPerOp: number, rounds: number, budgetMs: number): Promise<Record<string, Rate>> {
  const seen: Record<string, Rate[]> = {};
  for (let r = 0; r < rounds; r++) {
    for (const [name, fn] of Object.entries(cases)) (seen[name] ??= []).push(await measure(fn, bytesPerOp, budgetMs));
  }
  return Object.fromEntries(
    Object.entries(seen).map(([name, rates]) => [name, { opsPerSec: median(rates.map((r) => r.opsPerSec)), bytesPerSec: median(rates.map((r) => r.bytesPerSec)) }]),
  );
}

export const fmtRate = (n: number) => (n >= 100 ? Math.round(n).toLocaleString('en-US') : n.toFixed(1));
export const mb = (bytesPerSec: number) => (bytesPerSec / (1024 * 1024)).toFixed(1);
