import type { SliSeriesResult } from '../../questions/sli-series/definition';
import { ratioTicks } from './nice-scale';
import { frameOf, hasValues, toTimeRows, type TimeFrame, type TimeRow } from './time-rows';

export type RatioRow = TimeRow<'ratio'> & { good: number | null; total: number | null };

export type RatioSeries = {
  frame: TimeFrame;
  rows: RatioRow[];
  empty: boolean;
  /** y axis from `yMin` to 1, low enough to show both the data and the objective line. */
  yMin: number;
  ticks: number[];
  /** Decimal places of a percentage tick at this zoom (99.95% needs two, 60% none). */
  tickDigits: number;
};

/** A step on the ratio axis that keeps the interesting part readable. */
function stepFor(min: number): number {
  if (min >= 0.995) return 0.0005;
  if (min >= 0.95) return 0.005;
  if (min >= 0.8) return 0.05;
  return 0.1;
}

export function prepareRatioSeries(result: SliSeriesResult, objective: number | null): RatioSeries {
  const rows = toTimeRows(result.points, (p) => ({ ratio: p.ratio })).map((r, i) => ({
    ...r,
    good: result.points[i]!.good,
    total: result.points[i]!.total,
  }));
  let min = objective ?? 1;
  for (const r of rows) if (r.ratio !== null && r.ratio < min) min = r.ratio;
  const step = stepFor(min);
  const yMin = Math.max(0, Math.floor(min / step) * step - step);
  const tickDigits = step < 0.001 ? 2 : step < 0.01 ? 1 : 0;
  return { frame: frameOf(result), rows, empty: !hasValues(rows, ['ratio']), yMin, ticks: ratioTicks(yMin, step), tickDigits };
}
