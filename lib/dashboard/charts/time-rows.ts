/**
 * Chart preparation shared by the time-series panels (STYLE.md 6): a question's points
 * become rows keyed by bucket start in ms. A bucket without data keeps `null`, which
 * Recharts draws as a gap (connectNulls=false) rather than a drop to zero.
 */
export type TimeRow<K extends string> = { t: number } & Record<K, number | null>;

export type TimeFrame = { fromMs: number; toMs: number; bucketMs: number };

export function frameOf(result: { from: string; to: string; bucketMs: number }): TimeFrame {
  return { fromMs: Date.parse(result.from), toMs: Date.parse(result.to), bucketMs: result.bucketMs };
}

export function toTimeRows<P extends { t: string }, K extends string>(points: readonly P[], pick: (p: P) => Record<K, number | null>): TimeRow<K>[] {
  return points.map((p) => ({ t: Date.parse(p.t), ...pick(p) }) as TimeRow<K>);
}

/** True when at least one bucket has a value: otherwise the panel shows its empty state. */
export function hasValues<K extends string>(rows: readonly TimeRow<K>[], keys: readonly K[]): boolean {
  return rows.some((r) => keys.some((k) => r[k] !== null));
}

/** The largest value of some series, ignoring gaps; null when every bucket is a gap. */
export function maxOf<K extends string>(rows: readonly TimeRow<K>[], keys: readonly K[]): number | null {
  let max: number | null = null;
  for (const r of rows) for (const k of keys) if (r[k] !== null && (max === null || r[k]! > max)) max = r[k];
  return max;
}

const MIN = 60_000;
const TICK_STEPS = [5, 10, 15, 30, 60, 120, 180, 360, 720, 1440, 2880, 10080].map((m) => m * MIN);

/** Tick positions on whole UTC steps (5 min … 7 days), at most `max` of them, so labels never crowd. */
export function timeTicks(frame: Pick<TimeFrame, 'fromMs' | 'toMs'>, max = 8): number[] {
  const span = frame.toMs - frame.fromMs;
  if (!(span > 0)) return [];
  const step = TICK_STEPS.find((s) => span / s <= max) ?? TICK_STEPS[TICK_STEPS.length - 1]!;
  const out: number[] = [];
  for (let t = Math.ceil(frame.fromMs / step) * step; t <= frame.toMs; t += step) out.push(t);
  return out;
}

/**
 * Which points to mark with a dot: those with no neighbour on either side. A line needs
 * two adjacent points, so without a dot a lone bucket between gaps would not show at all.
 */
export function isolatedPoints<K extends string>(rows: readonly TimeRow<K>[], key: K): Set<number> {
  const out = new Set<number>();
  rows.forEach((r, i) => {
    if (r[key] === null) return;
    const before = i > 0 ? rows[i - 1]![key] : null;
    const after = i < rows.length - 1 ? rows[i + 1]![key] : null;
    if (before === null && after === null) out.add(r.t);
  });
  return out;
}
