'use client';

import { useQuery } from '@tanstack/react-query';
import { formatCount, formatUtc } from '@/lib/dashboard/format';
import { lagStatus } from '@/lib/dashboard/lag-status';
import { DEAD_LETTERS_SHOWN } from '@/components/oncall/queries';
import { Panel } from './panel';
import { Stat } from './stat';
import { clientQueries, useOnCallView } from './use-oncall-view';
import styles from './oncall.module.css';

const KIND_LABELS = { auditEvent: 'CloudTrail events', keyOperation: 'key operations', dekRecord: 'DEK records' } as const;

const LAG_CLASSES = { ok: styles.lagOk, warn: styles.lagWarn, bad: styles.lagBad, ahead: styles.lagAhead } as const;

function LagCell({ id, lagMs }: { id: string; lagMs: number }) {
  const lag = lagStatus(lagMs);
  return (
    <td
      className={`num ${LAG_CLASSES[lag.level]}`}
      data-testid={id}
      data-value={lagMs}
      data-level={lag.level}
      title={lag.level === 'ahead' ? 'the newest stored event is dated after the server clock: check the sender\'s clock' : undefined}
    >
      {lag.text}
    </td>
  );
}

/** Per ingest source: newest event stored and lag behind now; dead letters with their latest reasons. */
export function IngestHealthPanel() {
  const { view, refetchInterval } = useOnCallView();
  const query = useQuery({ ...clientQueries.ingestHealth(view.range), refetchInterval });
  return (
    <Panel
      id="ingest-health"
      title="Ingest health"
      subtitle="lag = now − newest event stored, per source and record kind ('clock ahead' when that event is dated in the future); dead letters are input that could not be stored"
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
                  <LagCell id={`ingest-lag-${s.source}-${s.kind}`} lagMs={s.lagMs} />
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
