'use client';

import { useQuery } from '@tanstack/react-query';
import { CartesianGrid, Legend, Line, LineChart, ReferenceLine, Tooltip, XAxis, YAxis } from 'recharts';
import { LATENCY_KEYS, prepareLatencySeries, type LatencyRow } from '@/lib/dashboard/charts/latency-series';
import { formatBucket, formatMs } from '@/lib/dashboard/format';
import type { PercentileMethod } from '@/lib/questions/latency-percentiles/definition';
import { ChartDataTable } from './chart-data-table';
import { Panel } from './panel';
import { Stat } from './stat';
import { Y_TICK, loneDot, timeAxisProps, tooltipLabel } from './time-axis';
import { clientQueries, useOnCallView } from './use-oncall-view';
import styles from './oncall.module.css';

const COLORS = { p50: '#2563eb', p95: '#d97706', p99: '#7c3aed' } as const;

/** The store says how it computed the percentiles; the subtitle says it to the reader. */
const PERCENTILE_METHOD_TEXT: Record<PercentileMethod, string> = {
  exact: 'exact nearest-rank',
  hdr: 'HDR histogram, within 0.1%',
};

/** Unwrap latency p50/p95/p99 per bucket against the latency objective's threshold. */
export function UnwrapLatencyChart({ thresholdMs }: { thresholdMs: number }) {
  const { view, refetchInterval } = useOnCallView();
  const query = useQuery({ ...clientQueries.unwrapLatency(view), refetchInterval });
  return (
    <Panel
      id="unwrap-latency"
      title="Unwrap latency"
      subtitle={query.data ? `p50 / p95 / p99 per bucket, ${formatBucket(query.data.bucketMs)}; ${PERCENTILE_METHOD_TEXT[query.data.method]}` : 'p50 / p95 / p99 per bucket'}
      query={query}
      isEmpty={(d) => d.overall.count === null || d.overall.count === 0}
      emptyText="No unwraps in this range and filter."
    >
      {(data) => {
        const s = prepareLatencySeries(data, thresholdMs);
        return (
          <>
            <div className={styles.stats}>
              <Stat id="latency-overall-p50" label="p50 over range" value={data.overall.p50} format={formatMs} />
              <Stat id="latency-overall-p95" label="p95 over range" value={data.overall.p95} format={formatMs} warn={(v) => v > thresholdMs} />
              <Stat id="latency-overall-p99" label="p99 over range" value={data.overall.p99} format={formatMs} />
            </div>
            <figure className={styles.chart} aria-label="Unwrap latency percentiles over time">
              <LineChart data={s.rows} responsive style={{ width: '100%', height: 240 }} margin={{ top: 8, right: 16, bottom: 0, left: 4 }}>
                <CartesianGrid stroke="#e5e7eb" vertical={false} />
                <XAxis {...timeAxisProps(s.frame)} />
                <YAxis
                  domain={[0, s.y.max]}
                  ticks={s.y.ticks}
                  tick={Y_TICK}
                  stroke="#9ca3af"
                  width={64}
                  tickFormatter={(v: number) => `${v} ms`}
                />
                <Tooltip labelFormatter={tooltipLabel} formatter={(v) => formatMs(typeof v === 'number' ? v : null)} />
                <Legend verticalAlign="top" height={24} iconType="plainline" />
                <ReferenceLine
                  y={thresholdMs}
                  stroke="#b91c1c"
                  strokeDasharray="5 4"
                  label={{ value: `objective: ${thresholdMs} ms`, position: 'insideTopLeft', fontSize: 11, fill: '#991b1b' }}
                />
                {LATENCY_KEYS.map((k) => (
                  <Line
                    key={k}
                    type="linear"
                    dataKey={k}
                    name={k}
                    stroke={COLORS[k]}
                    strokeWidth={k === 'p95' ? 2 : 1.5}
                    dot={loneDot(s.rows, k, COLORS[k])}
                    connectNulls={false}
                    isAnimationActive={false}
                  />
                ))}
              </LineChart>
            </figure>
            <ChartDataTable<LatencyRow>
              id="latency"
              rows={s.rows}
              columns={LATENCY_KEYS.map((k) => ({ key: k, label: k, value: (r) => r[k], format: formatMs }))}
            />
          </>
        );
      }}
    </Panel>
  );
}
