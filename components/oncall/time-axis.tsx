'use client';

import { formatTick, formatUtc } from '@/lib/dashboard/format';
import { isolatedPoints, timeTicks, type TimeFrame, type TimeRow } from '@/lib/dashboard/charts/time-rows';

/** Props for a Recharts XAxis over bucket starts: the frame as its domain, whole-step ticks, UTC labels. */
export function timeAxisProps(frame: TimeFrame) {
  const span = frame.toMs - frame.fromMs;
  return {
    dataKey: 't',
    type: 'number' as const,
    scale: 'time' as const,
    domain: [frame.fromMs, frame.toMs],
    ticks: timeTicks(frame),
    tickFormatter: (v: number) => formatTick(v, span),
    tick: { fontSize: 11, fill: '#4b5563' },
    stroke: '#9ca3af',
    height: 36,
    label: { value: 'time (UTC)', position: 'insideBottomRight' as const, offset: 0, fontSize: 11, fill: '#6b7280' },
  };
}

export const tooltipLabel = (t: unknown): string => (typeof t === 'number' ? formatUtc(t) : String(t));

export const Y_TICK = { fontSize: 11, fill: '#4b5563' };

/** A dot renderer that only draws points with gaps on both sides (see isolatedPoints). */
export function loneDot<K extends string>(rows: readonly TimeRow<K>[], key: K, color: string) {
  const lone = isolatedPoints(rows, key);
  return function LoneDot(props: { cx?: number; cy?: number; payload?: { t: number }; index?: number }) {
    const { cx, cy, payload, index } = props;
    if (cx === undefined || cy === undefined || payload === undefined || !lone.has(payload.t)) return <g key={`${key}-${index}`} />;
    return <circle key={`${key}-${index}`} cx={cx} cy={cy} r={2.5} fill={color} />;
  };
}
