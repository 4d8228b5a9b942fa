import Link from 'next/link';
import type { ReactNode } from 'react';
import { formatCount, formatPercent } from '@/lib/dashboard/format';
import type { RangeSpec } from '@/lib/dashboard/time-range';
import type { TopList } from '@/lib/questions/key-detail/top-lists';
import { fieldQuery, securityHref } from './links';
import styles from '@/components/oncall/oncall.module.css';

/**
 * A ranked list of one field's values with calls, failures and error rate; each value
 * searches /security, and `pivot` adds a link to the value's own page (key ↔ principal).
 */
export function TopListTable({ id, label, field, list, range, pivot, show }: {
  id: string;
  label: string;
  field: string;
  list: TopList;
  range: RangeSpec;
  pivot?: (value: string) => { href: string; text: string };
  show?: (value: string) => ReactNode;
}) {
  if (list.values.length === 0) return <p className={styles.faint} data-testid={`${id}-empty`}>None in this range.</p>;
  return (
    <table className={styles.compactTable} data-testid={id}>
      <thead>
        <tr>
          <th scope="col">{label}</th>
          <th scope="col">calls</th>
          <th scope="col">failed</th>
          <th scope="col">error rate</th>
        </tr>
      </thead>
      <tbody>
        {list.values.map((v) => {
          const p = pivot?.(v.value);
          return (
            <tr key={v.value}>
              <td className={styles.keyCell} title={v.value}>
                <Link href={securityHref(fieldQuery(field, v.value), range)} data-testid={`${id}-search`} title={`Search ${field} in the audit trail`}>
                  {show ? show(v.value) : v.value}
                </Link>
                {p ? <> · <Link href={p.href} data-testid={`${id}-pivot`}>{p.text}</Link></> : null}
              </td>
              <td className="num" data-value={v.count}>{formatCount(v.count)}</td>
              <td className="num">{formatCount(v.failures)}</td>
              <td className="num">{formatPercent(v.failures / v.count, 1)}</td>
            </tr>
          );
        })}
        {list.other > 0 ? (
          <tr className={styles.otherRow}>
            <td>other values</td>
            <td className="num">{formatCount(list.other)}</td>
            <td />
            <td />
          </tr>
        ) : null}
      </tbody>
    </table>
  );
}
