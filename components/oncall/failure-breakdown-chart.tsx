'use client';

import { useQuery } from '@tanstack/react-query';
import { Bar, BarChart, CartesianGrid, Cell, LabelList, Tooltip, XAxis, YAxis } from 'recharts';
import { prepareFailureBars, type FailureBar } from '@/lib/dashboard/charts/failure-bars';
import { formatCount, formatPercent } from '@/lib/dashboard/format';
import { FAILURE_TOP_N } from '@/components/oncall/queries';
import { FAILURE_GROUPINGS } from '@/lib/questions/failure-breakdown/definition';
import { Panel } from './panel';
import { Stat } from './stat';
import { Y_TICK } from './time-axis';
import { clientQueries, useOnCallUrl, useOnCallView } from './use-oncall-view';
import styles from './oncall.module.css';

const GROUPING_LABELS: Record<(typeof FAILURE_GROUPINGS)[number], string> = { errorClass: 'Error class', service: 'Service', kekId: 'KEK' };

/** Failed key operations grouped by error class, service or KEK: top N bars and an "other" bar for the rest. */
export function FailureBreakdownChart() {
  const { view, refetchInterval } = useOnCallView();
  const [{ failuresBy }, setUrl] = useOnCallUrl();
  const query = useQuery({ ...clientQueries.failures(view, failuresBy), refetchInterval });
  const grouping = (
    <div className={styles.segmented} role="group" aria-label="Group failures by">
      {FAILURE_GROUPINGS.map((g) => (
        <button key={g} type="button" aria-pressed={g === failuresBy} onClick={() => void setUrl({ failuresBy: g })}>
          {GROUPING_LABELS[g]}
        </button>
      ))}
    </div>
  );
  return (
    <Panel
      id="failure-breakdown"
      title="Failed key operations"
      subtitle={`all operations, by ${GROUPING_LABELS[failuresBy].toLowerCase()}; top ${FAILURE_TOP_N}, the rest as "other"`}
      actions={grouping}
      query={query}
      isEmpty={(d) => d.total === 0}
      emptyText="No failed key operations in this range and filter."
    >
      {(data) => {
        const f = prepareFailureBars(data);
        return (
          <>
            <div className={styles.stats}>
              <Stat id="failures-total" label="failed operations" value={f.total} format={formatCount} />
              {f.truncated ? (
                <div className={styles.truncated} data-testid="failures-truncated">
                  {formatCount(f.truncated.count)} more in {f.truncated.groups} smaller groups, shown as “other”
                </div>
              ) : null}
            </div>
            <figure className={styles.chart} aria-label={`Failed key operations by ${GROUPING_LABELS[failuresBy]}`}>
              <BarChart
                data={f.bars}
                layout="vertical"
                responsive
                style={{ width: '100%', height: Math.max(120, 30 * f.bars.length + 40) }}
                margin={{ top: 4, right: 56, bottom: 4, left: 4 }}
              >
                <CartesianGrid stroke="#e5e7eb" horizontal={false} />
                <XAxis
                  type="number"
                  allowDecimals={false}
                  tick={Y_TICK}
                  stroke="#9ca3af"
                  tickFormatter={(v: number) => formatCount(v)}
                  label={{ value: 'failed operations', position: 'insideBottomRight', offset: -2, fontSize: 11, fill: '#6b7280' }}
                  height={34}
                />
                <YAxis type="category" dataKey="label" width={170} tick={Y_TICK} stroke="#9ca3af" interval={0} />
                <Tooltip
                  formatter={(v, _n, item) => {
                    const bar = (item as { payload?: FailureBar }).payload;
                    return [`${formatCount(typeof v === 'number' ? v : null)} (${formatPercent(bar?.share ?? null, 1)})`, bar?.key ?? 'failures'];
                  }}
                  labelFormatter={() => ''}
                />
                <Bar dataKey="count" name="failed operations" isAnimationActive={false} barSize={18}>
                  {f.bars.map((b) => (
                    <Cell key={b.key} fill={b.isOther ? '#9ca3af' : '#c2410c'} />
                  ))}
                  <LabelList dataKey="count" position="right" fontSize={11} fill="#374151" formatter={(v) => formatCount(typeof v === 'number' ? v : null)} />
                </Bar>
              </BarChart>
            </figure>
            <table className={styles.compactTable}>
              <thead>
                <tr>
                  <th scope="col">{GROUPING_LABELS[failuresBy]}</th>
                  <th scope="col">failed</th>
                  <th scope="col">share</th>
                </tr>
              </thead>
              <tbody>
                {f.bars.map((b) => (
                  <tr key={b.key} className={b.isOther ? styles.otherRow : undefined}>
                    <td title={b.key} className={styles.keyCell}>{b.isOther ? b.label : b.key}</td>
                    <td className="num" data-testid={`failure-count-${b.key}`} data-value={b.count}>{formatCount(b.count)}</td>
                    <td className="num">{formatPercent(b.share, 1)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </>
        );
      }}
    </Panel>
  );
}
