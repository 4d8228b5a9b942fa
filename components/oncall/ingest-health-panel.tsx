'use client';

import { useQuery } from '@tanstack/react-query';
import { formatCount, formatDuration, formatUtc } from '@/lib/dashboard/format';
import { DEAD_LETTERS_SHOWN } from '@/lib/dashboard/oncall-queries';
import { Panel } from './panel';
import { Stat } from './stat';
import { clientQueries, useOnCallView } from './use-oncall-view';
import styles from './oncall.module.css';

const KIND_LABELS = { auditEvent: 'CloudTrail events', keyOperation: 'key operations', dekRecord: 'DEK records' } as const;

/** How far behind a source may be before it is worth a look, and before it is a problem. */
const LAG_WARN_MS = 5 * 60_000;
const LAG_BAD_MS = 60 * 60_000;

function lagClass(lagMs: number): string {
  if (lagMs > LAG_BAD_MS) return styles.lagBad!;
  if (lagMs > LAG_WARN_MS) return styles.lagWarn!;
  return styles.lagOk!;
}

/** Per ingest source: newest event stored and lag behind now; dead letters with their latest reasons. */
export function IngestHealthPanel() {
  const { view, refetchInterval } = useOnCallView();
  const query = useQuery({ ...clientQueries.ingestHealth(view.range), refetchInterval });
  return (
    <Panel
      id="ingest-health"
      title="Ingest health"
      subtitle="lag = now − newest event stored, per source and record kind; dead letters are input that could not be stored"
      query={query}
      isEmpty={(d) => d.sources.length === 0 && d.deadLetters.total === 0}
      emptyText="Nothing ingested yet: start the ingest service or run npm run demo."
    >
      {(data) => (
        <div className={styles.ingestGrid}>
          <table className={styles.compactTable}>
            <thead>
              <tr>
                <th scope="col">source</th>
                <th scope="col">records</th>
                <th scope="col">newest event (UTC)</th>
                <th scope="col">lag</th>
                <th scope="col">last write (UTC)</th>
              </tr>
            </thead>
            <tbody>
              {data.sources.map((s) => (
                <tr key={`${s.source}/${s.kind}`}>
                  <td>
                    {s.source} <span className={styles.faint}>· {KIND_LABELS[s.kind]}</span>
                  </td>
                  <td className="num">{formatCount(s.records)}</td>
                  <td className="num">{formatUtc(s.newestEventTime, false)}</td>
                  <td className={`num ${lagClass(s.lagMs)}`} data-testid={`ingest-lag-${s.source}-${s.kind}`} data-value={s.lagMs}>
                    {formatDuration(s.lagMs)}
                  </td>
                  <td className="num">{formatUtc(s.lastWriteTime, false)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <div>
            <div className={styles.stats}>
              <Stat id="dead-letters-total" label="dead letters, all time" value={data.deadLetters.total} format={formatCount} warn={(v) => v > 0} />
              <Stat id="dead-letters-in-range" label="in this range" value={data.deadLetters.inRange} format={formatCount} warn={(v) => v > 0} />
            </div>
            {data.deadLetters.latest.length > 0 ? (
              <>
                <h3 className={styles.h3}>Latest {Math.min(DEAD_LETTERS_SHOWN, data.deadLetters.latest.length)} dead letters</h3>
                <ul className={styles.deadLetters}>
                  {data.deadLetters.latest.map((d) => (
                    <li key={d.id}>
                      <div className={styles.faint}>
                        {formatUtc(d.receivedAt)} · {d.source} · <span title={d.location}>{d.location}</span>
                      </div>
                      <div>{d.reason}</div>
                    </li>
                  ))}
                </ul>
              </>
            ) : (
              <p className={styles.faint}>No dead letters: every record received so far was stored.</p>
            )}
          </div>
        </div>
      )}
    </Panel>
  );
}
