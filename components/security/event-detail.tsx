'use client';

import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import type { RangeSpec } from '@/lib/dashboard/time-range';
import type { AuditEvent } from '@/lib/model/audit-event';
import { AUDIT_FIELDS, CONTEXT_PREFIX } from '@/lib/query-language/fields';
import { ErrorState, LoadingState } from '@/components/oncall/panel';
import { keyHref, principalHref, securityHref } from '@/components/keys/links';
import { cellText } from './cell-format';
import { CopyButton } from './copy-button';
import { eventLink } from './event-link';
import { valueText } from './query-edit';
import { clientQueries } from './use-security-view';
import styles from './security.module.css';

type FieldRow = { field: string; values: ReadonlyArray<string | boolean> };

/** Every catalog field the event has, then each encryption-context pair as its own field. */
export function eventFields(e: AuditEvent): FieldRow[] {
  const rows: FieldRow[] = AUDIT_FIELDS.map((f) => ({ field: f.name, values: f.values(e) })).filter((r) => r.values.length > 0);
  for (const [k, v] of Object.entries(e.encryptionContext ?? {})) rows.push({ field: CONTEXT_PREFIX + k, values: [v] });
  return rows;
}

type Props = {
  id: string;
  range: RangeSpec;
  /** Adds `field = value` (or its negation) to the applied query. */
  onFilter: (field: string, value: string | boolean, mode: 'include' | 'exclude') => void;
};

/** An expanded row: every field with filter buttons and pivots, the raw CloudTrail record, copy buttons and a link to the event. */
export function EventDetail({ id, range, onFilter }: Props) {
  const query = useQuery(clientQueries.event(id));
  if (query.isPending) return <div className={styles.detail}><LoadingState /></div>;
  if (query.error) return <div className={styles.detail}><ErrorState error={query.error} retry={() => void query.refetch()} /></div>;
  const event = query.data.event;
  if (event === null) return <div className={styles.detail}><p className={styles.faint}>This event is no longer in the store (retention may have removed it).</p></div>;
  const fields = eventFields(event);
  const raw = JSON.stringify(event.raw, null, 2);
  const asJson = JSON.stringify(Object.fromEntries(fields.map((f) => [f.field, f.values.length === 1 ? f.values[0] : f.values])), null, 2);
  return (
    <div className={styles.detail} data-testid="event-detail" data-event-id={event.id}>
      <div className={styles.detailActions}>
        <Link href={eventLink(event)} className={styles.button} data-testid="event-link">
          Link to this event
        </Link>
        <CopyButton text={asJson} label="Copy fields" />
        <CopyButton text={raw} label="Copy raw JSON" />
      </div>
      <div className={styles.detailGrid}>
        <section aria-label="Fields">
          <h3 className={styles.h3}>Fields</h3>
          <dl className={styles.fieldList}>
            {fields.map((f) => (
              <div key={f.field} className={styles.fieldRow} data-field={f.field}>
                <dt>{f.field}</dt>
                {f.values.map((v) => (
                  <dd key={String(v)}>
                    <span className={styles.fieldValue}>{cellText(f.field, v)}</span>
                    {f.field === '@timestamp' ? null : (
                      <>
                        <button type="button" className={styles.iconButton} aria-label={`Filter for ${f.field} ${String(v)}`} title="Filter for" onClick={() => onFilter(f.field, v, 'include')}>
                          +
                        </button>
                        <button type="button" className={styles.iconButton} aria-label={`Filter out ${f.field} ${String(v)}`} title="Filter out" onClick={() => onFilter(f.field, v, 'exclude')}>
                          −
                        </button>
                      </>
                    )}
                    <Pivot field={f.field} value={v} range={range} />
                  </dd>
                ))}
              </div>
            ))}
          </dl>
        </section>
        <section aria-label="Raw CloudTrail record">
          <h3 className={styles.h3}>Raw CloudTrail record</h3>
          <pre className={styles.raw} data-testid="raw-json" tabIndex={0}>
            {raw}
          </pre>
        </section>
      </div>
    </div>
  );
}

/** The way on from a value: a principal's page, a key's page, or every event from that source address. */
function Pivot({ field, value, range }: { field: string; value: string | boolean; range: RangeSpec }) {
  if (typeof value !== 'string') return null;
  if (field === 'keyscope.principal.caller') return <Link className={styles.pivot} href={principalHref(value, range)}>principal →</Link>;
  if (field === 'kms.key.arn') return <Link className={styles.pivot} href={keyHref(value, range)}>key →</Link>;
  if (field === 'source.ip') return <Link className={styles.pivot} href={securityHref(`source.ip:${valueText(field, value)}`, range)}>events from this IP →</Link>;
  return null;
}
