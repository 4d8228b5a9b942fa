import type { LatencyPercentilesResult } from '../../questions/latency-percentiles/definition';
import { niceScale } from './nice-scale';
import { frameOf, hasValues, maxOf, toTimeRows, type TimeFrame, type TimeRow } from './time-rows';

export const LATENCY_KEYS = ['p50', 'p95', 'p99'] as const;
export type LatencyRow = TimeRow<(typeof LATENCY_KEYS)[number]>;

export type LatencySeries = {
  frame: TimeFrame;
  rows: LatencyRow[];
  empty: boolean;
  /** y axis: up to the data or the reference line, whichever is higher, so the line is always on the chart. */
  y: { max: number; ticks: number[] };
};

export function prepareLatencySeries(result: LatencyPercentilesResult, referenceMs: number): LatencySeries {
  const rows = toTimeRows(result.points, (p) => ({ p50: p.p50, p95: p.p95, p99: p.p99 }));
  const max = maxOf(rows, LATENCY_KEYS) ?? 0;
  return { frame: frameOf(result), rows, empty: !hasValues(rows, LATENCY_KEYS), y: niceScale(Math.max(max, referenceMs * 1.15)) };
}
