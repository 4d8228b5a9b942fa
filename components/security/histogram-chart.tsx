'use client';

import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Bar, BarChart, CartesianGrid, Legend, ReferenceArea, Tooltip, XAxis, YAxis } from 'recharts';
import type { MouseHandlerDataParam } from 'recharts';
import { formatBucket, formatCount, formatTick, formatUtc } from '@/lib/dashboard/format';
import { Panel } from '@/components/oncall/panel';
import { Y_TICK } from '@/components/oncall/time-axis';
import { draggedRange, histogramRows } from './histogram-rows';
import { FRESH_RESULTS, clientQueries, useSecurityUrl, useSecurityView } from './use-security-view';
import styles from './security.module.css';

const COLORS = { success: '#2563eb', failure: '#dc2626' } as const;

/** The bucket under the pointer; Recharts gives null (not 0) while no bucket is active. */
const indexOf = (s: MouseHandlerDataParam): number | null => {
  const raw = s.activeTooltipIndex ?? s.activeIndex;
  if (raw === null || raw === undefined || raw === '') return null;
  const i = Number(raw);
  return Number.isInteger(i) && i >= 0 ? i : null;
};

/**
 * Matching events per bucket, stacked by outcome. Dragging across buckets (down, move, up)
 * narrows the page's range to them, as Kibana Discover's histogram does.
 */
export function HistogramChart() {
  const { view } = useSecurityView();
  const [, setUrl] = useSecurityUrl();
  const query = useQuery(clientQueries.histogram(view));
  // Pressed: the button is down (the first bucket may only be known on the next move).
  const [pressed, setPressed] = useState(false);
  const [drag, setDrag] = useState<{ a: number; b: number } | null>(null);

  return (
    <Panel
      id="audit-histogram"
      title="Events over time"
      subtitle={query.data ? `matching events per bucket, ${formatBucket(query.data.bucketMs)}; drag across bars to zoom in` : 'matching events per bucket'}
      query={query}
      isEmpty={(d) => d.total === 0}
      emptyText="No events match in this range."
    >
      {(data) => {
        const rows = histogramRows(data);
        const span = Date.parse(data.to) - Date.parse(data.from);
        const finish = () => {
          setPressed(false);
          if (drag === null) return;
          const r = draggedRange(rows, drag.a, drag.b, data.bucketMs, Date.parse(data.to));
          setDrag(null);
          if (r) void setUrl({ from: r.from, to: r.to, ...FRESH_RESULTS });
        };
        return (
          <figure className={styles.chart} aria-label="Matching events over time, by outcome" data-testid="histogram-figure" data-buckets={rows.length}>
            <BarChart
              data={rows}
              responsive
              style={{ width: '100%', height: 180, userSelect: 'none', cursor: 'crosshair' }}
              margin={{ top: 4, right: 16, bottom: 0, left: 4 }}
              barCategoryGap={1}
              onMouseDown={(s) => {
                setPressed(true);
                const i = indexOf(s);
                setDrag(i === null ? null : { a: i, b: i });
              }}
              onMouseMove={(s) => {
                const i = indexOf(s);
                if (!pressed || i === null) return;
                if (drag === null) setDrag({ a: i, b: i });
                else if (i !== drag.b) setDrag({ a: drag.a, b: i });
              }}
              onMouseUp={finish}
              onMouseLeave={() => {
                setPressed(false);
                setDrag(null);
              }}
            >
              <CartesianGrid stroke="#e5e7eb" vertical={false} />
              <XAxis dataKey="t" tickFormatter={(v: number) => formatTick(v, span)} tick={{ fontSize: 11, fill: '#4b5563' }} stroke="#9ca3af" minTickGap={40} height={24} />
              <YAxis allowDecimals={false} tick={Y_TICK} stroke="#9ca3af" width={56} tickFormatter={(v: number) => formatCount(v)} />
              <Tooltip labelFormatter={(t) => (typeof t === 'number' ? formatUtc(t) : String(t))} formatter={(v) => formatCount(typeof v === 'number' ? v : null)} />
              <Legend verticalAlign="top" height={22} iconType="square" />
              <Bar dataKey="success" name="success" stackId="outcome" fill={COLORS.success} isAnimationActive={false} />
              <Bar dataKey="failure" name="failure" stackId="outcome" fill={COLORS.failure} isAnimationActive={false} />
              {drag !== null && rows[drag.a] && rows[drag.b] ? (
                <ReferenceArea x1={rows[Math.min(drag.a, drag.b)]!.t} x2={rows[Math.max(drag.a, drag.b)]!.t} fill="#1e3a8a" fillOpacity={0.15} stroke="#1e3a8a" strokeOpacity={0.4} />
              ) : null}
            </BarChart>
            <figcaption className={styles.visuallyHidden}>
              {formatCount(data.total)} matching events from {formatUtc(data.from)} to {formatUtc(data.to)}.
            </figcaption>
          </figure>
        );
      }}
    </Panel>
  );
}
