'use client';

import { formatUtc } from '@/lib/dashboard/format';
import styles from './oncall.module.css';

export type DataColumn<R> = { key: string; label: string; value: (row: R) => number | null; format: (v: number | null) => string };

/**
 * The numbers behind a chart, as a table in a disclosure: readable without a mouse or a
 * screen, copyable, and addressable by tests (`<id>-<column>-<bucket ISO>`, raw number in data-value).
 */
export function ChartDataTable<R extends { t: number }>({ id, rows, columns }: { id: string; rows: readonly R[]; columns: readonly DataColumn<R>[] }) {
  return (
    <details className={styles.dataTable}>
      <summary>Data table ({rows.length} buckets)</summary>
      <div className={styles.tableScroll}>
        <table>
          <thead>
            <tr>
              <th scope="col">bucket start</th>
              {columns.map((c) => (
                <th key={c.key} scope="col">{c.label}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => {
              const iso = new Date(r.t).toISOString();
              return (
                <tr key={r.t}>
                  <th scope="row">{formatUtc(r.t)}</th>
                  {columns.map((c) => {
                    const v = c.value(r);
                    return (
                      <td key={c.key} className="num" data-testid={`${id}-${c.key}-${iso}`} data-value={v ?? ''}>
                        {c.format(v)}
                      </td>
                    );
                  })}
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </details>
  );
}
