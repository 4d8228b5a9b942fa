'use client';

import { useQuery } from '@tanstack/react-query';
import { Bar, BarChart, CartesianGrid, Legend, Tooltip, XAxis, YAxis } from 'recharts';
import { formatBucket, formatCount, formatTick, formatUtc } from '@/lib/dashboard/format';
import type { RangeSpec } from '@/lib/dashboard/time-range';
import type { KeyUsageResult } from '@/lib/questions/key-usage/definition';
import { Panel } from '@/components/oncall/panel';
import { clientEntityQueries } from './client-queries';
import styles from '@/components/oncall/oncall.module.css';

const COLORS = ['#2563eb', '#16a34a', '#9333ea', '#0891b2', '#ca8a04', '#64748b'];
const FAILURE = '#dc2626';
/** Actions drawn on their own; the rest stack as "other". */
const SHOWN = 5;

/** Rows per bucket: successes per action (top SHOWN, then other) and every failure together, so failures stand out. */
export function usageRows(d: KeyUsageResult) {
  const shown = d.series.slice(0, SHOWN).map((s) => s.action);
  const rows = d.buckets.map((t, i) => {
    const row: Record<string, number | string> = { t: Date.parse(t), failed: 0, other: 0 };
    for (const s of d.series) {
      const k = shown.includes(s.action) ? s.action : 'other';
      row[k] = ((row[k] as number | undefined) ?? 0) + (s.success[i] ?? 0);
      row.failed = (row.failed as number) + (s.failure[i] ?? 0);
    }
    return row;
  });
  return { rows, keys: [...shown, ...(d.series.length > SHOWN ? ['other'] : [])] };
}

export function KeyUsageChart({ keyArn, range }: { keyArn: string; range: RangeSpec }) {
  const query = useQuery(clientEntityQueries.keyUsage(range, keyArn));
  return (
    <Panel id="key-usage" title="Usage" subtitle={query.data ? `calls by action, failures stacked on top; ${formatBucket(query.data.bucketMs)}` : 'calls by action and outcome'} query={query} isEmpty={(d) => d.total === 0} emptyText="No calls on this key in this range.">
      {(d) => {
        const { rows, keys } = usageRows(d);
        const span = Date.parse(d.to) - Date.parse(d.from);
        return (
          <>
            <figure className={styles.chart} aria-label="Calls on this key by action and outcome">
              <BarChart data={rows} responsive style={{ width: '100%', height: 240 }} margin={{ top: 4, right: 8, bottom: 4, left: 4 }}>
                <CartesianGrid stroke="#e5e7eb" vertical={false} />
                <XAxis dataKey="t" type="number" scale="time" domain={[Date.parse(d.from), Date.parse(d.to)]} tickFormatter={(v: number) => formatTick(v, span)} fontSize={11} />
                <YAxis allowDecimals={false} fontSize={11} tickFormatter={(v: number) => formatCount(v)} width={48} />
                <Tooltip labelFormatter={(v) => formatUtc(Number(v))} />
                <Legend wrapperStyle={{ fontSize: 12 }} />
                {keys.map((k, i) => <Bar key={k} dataKey={k} stackId="calls" name={k} fill={COLORS[i % COLORS.length]} isAnimationActive={false} />)}
                <Bar dataKey="failed" stackId="calls" name="failed (any action)" fill={FAILURE} isAnimationActive={false} />
              </BarChart>
            </figure>
            <table className={styles.compactTable} data-testid="key-usage-table">
              <thead><tr><th scope="col">action</th><th scope="col">calls</th><th scope="col">failed</th></tr></thead>
              <tbody>
                {d.series.map((s) => (
                  <tr key={s.action}>
                    <td>{s.action}</td>
                    <td className="num" data-testid={`usage-${s.action}`} data-value={s.total}>{formatCount(s.total)}</td>
                    <td className="num">{formatCount(s.failure.reduce((a, b) => a + b, 0))}</td>
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
