'use client';

import { useQuery } from '@tanstack/react-query';
import { CartesianGrid, Legend, Line, LineChart, Tooltip, XAxis, YAxis } from 'recharts';
import { THROTTLING_KEYS, prepareThrottlingSeries, type ThrottlingRow } from '@/lib/dashboard/charts/throttling-series';
import { formatBucket, formatCount } from '@/lib/dashboard/format';
import { ChartDataTable } from './chart-data-table';
import { Panel } from './panel';
import { Stat } from './stat';
import { Y_TICK, loneDot, timeAxisProps, tooltipLabel } from './time-axis';
import { clientQueries, useOnCallView } from './use-oncall-view';
import styles from './oncall.module.css';

const SERIES = {
  operations: { name: 'key operations throttled', color: '#d97706' },
  auditEvents: { name: 'CloudTrail ThrottlingException', color: '#7c3aed' },
} as const;

/**
 * Throttling seen by the applications (key operations failed as throttled) next to what
 * KMS recorded (CloudTrail ThrottlingException): the two together tell a KMS quota
 * problem from a client-side one.
 */
export function KmsThrottlingChart() {
  const { view, refetchInterval } = useOnCallView();
  const query = useQuery({ ...clientQueries.kmsThrottling(view), refetchInterval });
  return (
    <Panel
      id="kms-throttling"
      title="KMS throttling"
      subtitle={query.data ? `count per bucket, ${formatBucket(query.data.bucketMs)}` : 'count per bucket'}
      query={query}
      isEmpty={(d) => prepareThrottlingSeries(d).empty}
      emptyText="No key operations or CloudTrail KMS calls in this range."
    >
      {(data) => {
        const s = prepareThrottlingSeries(data);
        return (
          <>
            <div className={styles.stats}>
              <Stat id="throttling-operations-total" label={SERIES.operations.name} value={s.totals.operations} format={formatCount} warn={(v) => v > 0} />
              <Stat id="throttling-audit-total" label={SERIES.auditEvents.name} value={s.totals.auditEvents} format={formatCount} warn={(v) => v > 0} />
            </div>
            {data.auditFiltersIgnored.length > 0 ? (
              <div className={styles.note}>
                CloudTrail events carry no {data.auditFiltersIgnored.join(' or ')}: that filter narrows only the key-operation series.
              </div>
            ) : null}
            <figure className={styles.chart} aria-label="KMS throttling over time">
              <LineChart data={s.rows} responsive style={{ width: '100%', height: 240 }} margin={{ top: 8, right: 16, bottom: 0, left: 4 }}>
                <CartesianGrid stroke="#e5e7eb" vertical={false} />
                <XAxis {...timeAxisProps(s.frame)} />
                <YAxis allowDecimals={false} tick={Y_TICK} stroke="#9ca3af" width={64} tickFormatter={(v: number) => formatCount(v)} label={{ value: 'count', angle: -90, position: 'insideLeft', fontSize: 11, fill: '#6b7280' }} />
                <Tooltip labelFormatter={tooltipLabel} formatter={(v) => formatCount(typeof v === 'number' ? v : null)} />
                <Legend verticalAlign="top" height={24} iconType="plainline" />
                {THROTTLING_KEYS.map((k) => (
                  <Line
                    key={k}
                    type="linear"
                    dataKey={k}
                    name={SERIES[k].name}
                    stroke={SERIES[k].color}
                    strokeWidth={2}
                    dot={loneDot(s.rows, k, SERIES[k].color)}
                    connectNulls={false}
                    isAnimationActive={false}
                  />
                ))}
              </LineChart>
            </figure>
            <ChartDataTable<ThrottlingRow>
              id="throttling"
              rows={s.rows}
              columns={THROTTLING_KEYS.map((k) => ({ key: k, label: SERIES[k].name, value: (r) => r[k], format: formatCount }))}
            />
          </>
        );
      }}
    </Panel>
  );
}
