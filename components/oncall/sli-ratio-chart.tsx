'use client';

import { useQuery } from '@tanstack/react-query';
import { CartesianGrid, Legend, Line, LineChart, ReferenceLine, Tooltip, XAxis, YAxis } from 'recharts';
import type { SliKind } from '@/lib/detect/slo-config';
import { prepareRatioSeries, type RatioRow } from '@/lib/dashboard/charts/ratio-series';
import { formatBucket, formatCount, formatPercent } from '@/lib/dashboard/format';
import { ChartDataTable } from './chart-data-table';
import { Panel } from './panel';
import { Stat } from './stat';
import { Y_TICK, loneDot, timeAxisProps, tooltipLabel } from './time-axis';
import { clientQueries, useOnCallView } from './use-oncall-view';
import styles from './oncall.module.css';

type SliRatioChartProps = {
  id: string;
  title: string;
  sli: SliKind;
  /** Name of the series in the legend and tooltip. */
  seriesName: string;
  color: string;
  /** The SLO's objective, drawn as a line; null when no SLO covers this SLI. */
  objective: number | null;
  emptyText: string;
};

/** A good/total ratio of an unwrap SLI per bucket with its objective line (success rate, cache hit rate). */
export function SliRatioChart({ id, title, sli, seriesName, color, objective, emptyText }: SliRatioChartProps) {
  const { view, refetchInterval } = useOnCallView();
  const query = useQuery({ ...clientQueries.sli(view, sli), refetchInterval });
  return (
    <Panel
      id={id}
      title={title}
      subtitle={query.data ? `share of unwraps per bucket, ${formatBucket(query.data.bucketMs)}` : 'share of unwraps per bucket'}
      query={query}
      isEmpty={(d) => d.summary.total === 0}
      emptyText={emptyText}
    >
      {(data) => {
        const s = prepareRatioSeries(data, objective);
        const below = objective !== null && data.summary.ratio !== null && data.summary.ratio < objective;
        return (
          <>
            <div className={styles.stats}>
              <Stat id={`${id}-overall`} label="over range" value={data.summary.ratio} format={(v) => formatPercent(v, 2)} warn={() => below} />
              <Stat id={`${id}-total`} label="unwraps counted" value={data.summary.total} format={formatCount} />
              {objective !== null ? <Stat id={`${id}-objective`} label="objective" value={objective} format={(v) => formatPercent(v, 2)} /> : null}
            </div>
            <figure className={styles.chart} aria-label={`${title} over time`}>
              <LineChart data={s.rows} responsive style={{ width: '100%', height: 240 }} margin={{ top: 8, right: 16, bottom: 0, left: 4 }}>
                <CartesianGrid stroke="#e5e7eb" vertical={false} />
                <XAxis {...timeAxisProps(s.frame)} />
                <YAxis
                  domain={[s.yMin, 1]}
                  ticks={s.ticks}
                  tick={Y_TICK}
                  stroke="#9ca3af"
                  width={64}
                  tickFormatter={(v: number) => formatPercent(v, s.tickDigits)}
                />
                <Tooltip labelFormatter={tooltipLabel} formatter={(v) => formatPercent(typeof v === 'number' ? v : null, 3)} />
                <Legend verticalAlign="top" height={24} iconType="plainline" />
                {objective !== null ? (
                  <ReferenceLine
                    y={objective}
                    stroke="#b91c1c"
                    strokeDasharray="5 4"
                    label={{ value: `objective ${formatPercent(objective, 2)}`, position: 'insideBottomLeft', fontSize: 11, fill: '#991b1b' }}
                  />
                ) : null}
                <Line
                  type="linear"
                  dataKey="ratio"
                  name={seriesName}
                  stroke={color}
                  strokeWidth={2}
                  dot={loneDot(s.rows, 'ratio', color)}
                  connectNulls={false}
                  isAnimationActive={false}
                />
              </LineChart>
            </figure>
            <ChartDataTable<RatioRow>
              id={id}
              rows={s.rows}
              columns={[
                { key: 'ratio', label: seriesName, value: (r) => r.ratio, format: (v) => formatPercent(v, 3) },
                { key: 'good', label: 'good', value: (r) => r.good, format: formatCount },
                { key: 'total', label: 'total', value: (r) => r.total, format: formatCount },
              ]}
            />
          </>
        );
      }}
    </Panel>
  );
}
