'use client';

import { useQuery } from '@tanstack/react-query';
import { Fragment, useMemo } from 'react';
import { columnSpecs, columnValues } from '@/lib/export/columns';
import { PRESET_LABELS, type RangeSpec } from '@/lib/dashboard/time-range';
import { formatCount, formatUtc } from '@/lib/dashboard/format';
import { Panel } from '@/components/oncall/panel';
import { cellText, totalText } from './cell-format';
import { ColumnPicker, moveColumn } from './column-picker';
import { EventDetail } from './event-detail';
import { PAGE_SIZE } from './queries';
import { addClause } from './query-edit';
import { FRESH_RESULTS, clientQueries, useSecurityUrl, useSecurityView } from './use-security-view';
import styles from './security.module.css';

const rangeText = (r: RangeSpec): string => (r.kind === 'preset' ? PRESET_LABELS[r.preset].toLowerCase() : `${formatUtc(r.from)} → ${formatUtc(r.to)}`);

/** The matching events, newest first, a page at a time (keyset cursors kept as a stack in the URL); a row expands in place. */
export function ResultsTable({ toolbar }: { toolbar?: React.ReactNode }) {
  const { view, after, columns } = useSecurityView();
  const [url, setUrl] = useSecurityUrl();
  const query = useQuery(clientQueries.search(view, after));
  const specs = useMemo(() => columnSpecs(columns), [columns]);
  const page = url.cursors.length;
  const setColumns = (next: string[]) => void setUrl({ columns: next }, { history: 'replace' });
  const onFilter = (field: string, value: string | boolean, mode: 'include' | 'exclude') =>
    void setUrl({ query: addClause(view.query, field, value, mode), ...FRESH_RESULTS });

  const emptyText = `No events match ${view.query.trim() === '' ? 'any query' : `“${view.query}”`} in ${rangeText(view.range)}.`;
  return (
    <Panel
      id="audit-results"
      title="Events"
      subtitle={
        query.data ? (
          <span data-testid="results-total" data-value={query.data.total?.value ?? ''} data-relation={query.data.total?.relation ?? ''}>
            {query.data.events.length === 0 ? 'none' : `${formatCount(page * PAGE_SIZE + 1)}–${formatCount(page * PAGE_SIZE + query.data.events.length)}`} of{' '}
            {totalText(query.data.total)} matching events
          </span>
        ) : (
          'newest first'
        )
      }
      actions={
        <>
          {toolbar}
          <ColumnPicker columns={columns} onChange={setColumns} />
        </>
      }
      query={query}
      isEmpty={(d) => d.events.length === 0}
      emptyText={emptyText}
    >
      {(data) => (
        <>
          <div className={styles.tableScroll}>
            <table className={styles.results} aria-label="Matching audit events">
              <thead>
                <tr>
                  <th scope="col"><span className={styles.visuallyHidden}>Details</span></th>
                  {columns.map((c, i) => (
                    <th key={c} scope="col" data-column={c}>
                      <span className={styles.colHead}>
                        <span>{c}</span>
                        <button type="button" className={styles.iconButton} aria-label={`Move ${c} left`} disabled={i === 0} onClick={() => setColumns(moveColumn(columns, i, -1))}>‹</button>
                        <button type="button" className={styles.iconButton} aria-label={`Move ${c} right`} disabled={i === columns.length - 1} onClick={() => setColumns(moveColumn(columns, i, 1))}>›</button>
                      </span>
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {data.events.map((e) => {
                  const open = url.event === e.id;
                  const values = columnValues(e, specs);
                  return (
                    <Fragment key={e.id}>
                      <tr className={open ? styles.openRow : undefined} data-testid="result-row" data-event-id={e.id} data-outcome={e.outcome}>
                        <td>
                          <button
                            type="button"
                            className={styles.iconButton}
                            aria-expanded={open}
                            aria-label={`${open ? 'Collapse' : 'Expand'} event ${e.id}`}
                            onClick={() => void setUrl({ event: open ? null : e.id }, { history: 'replace' })}
                          >
                            {open ? '▾' : '▸'}
                          </button>
                        </td>
                        {values.map((v, i) => (
                          <td key={columns[i]} className={columns[i] === 'event.outcome' && v === 'failure' ? styles.bad : undefined}>
                            {cellText(columns[i]!, v)}
                          </td>
                        ))}
                      </tr>
                      {open ? (
                        <tr className={styles.detailRow}>
                          <td colSpan={columns.length + 1}>
                            <EventDetail id={e.id} range={view.range} onFilter={onFilter} />
                          </td>
                        </tr>
                      ) : null}
                    </Fragment>
                  );
                })}
              </tbody>
            </table>
          </div>
          <nav className={styles.pager} aria-label="Pages">
            <button type="button" className={styles.button} disabled={page === 0} onClick={() => void setUrl({ cursors: url.cursors.slice(0, -1), event: null })}>
              ‹ Previous
            </button>
            <span data-testid="page-number">Page {page + 1}</span>
            <button type="button" className={styles.button} disabled={data.next === null} onClick={() => void setUrl({ cursors: [...url.cursors, data.next!], event: null })}>
              Next ›
            </button>
          </nav>
        </>
      )}
    </Panel>
  );
}
