'use client';

import { useQuery } from '@tanstack/react-query';
import { formatCount, shortValue } from '@/lib/dashboard/format';
import type { AuditFacetsResult } from '@/lib/questions/audit-facets/definition';
import { Panel } from '@/components/oncall/panel';
import { addClause } from './query-edit';
import { FRESH_RESULTS, clientQueries, useSecurityUrl, useSecurityView } from './use-security-view';
import styles from './security.module.css';

const LABELS: Record<AuditFacetsResult['facets'][number]['field'], string> = {
  'event.action': 'Action',
  'event.outcome': 'Outcome',
  'cloud.account.id': 'Account',
  'cloud.region': 'Region',
  'keyscope.principal.caller': 'Principal',
  'source.ip': 'Source IP',
  'user_agent.original': 'User agent',
  'kms.key.arn': 'Key',
  'error.code': 'Error code',
  'kms.encryption_context': 'Encryption context keys',
};

/** Counts over the whole result (not the page) for every facet; + and − add the value to the query. */
export function FacetsPanel() {
  const { view } = useSecurityView();
  const [, setUrl] = useSecurityUrl();
  const query = useQuery(clientQueries.facets(view));
  const apply = (field: string, value: string, mode: 'include' | 'exclude') =>
    void setUrl({ query: addClause(view.query, field, value, mode), ...FRESH_RESULTS });

  return (
    <Panel
      id="audit-facets"
      title="Fields"
      subtitle="top values over every match"
      query={query}
      isEmpty={(d) => d.facets.every((f) => f.values.length === 0)}
      emptyText="No values: nothing matches."
    >
      {(data) => (
        <div className={styles.facets}>
          {data.facets.map((f) => (
            <section key={f.field} className={styles.facet} data-testid={`facet-${f.field}`} aria-labelledby={`facet-${f.field}-title`}>
              <h3 id={`facet-${f.field}-title`} className={styles.facetTitle}>
                {LABELS[f.field]} <span className={styles.facetField}>{f.field}</span>
              </h3>
              {f.values.length === 0 ? <p className={styles.faint}>no values</p> : null}
              <ul className={styles.facetValues}>
                {f.values.map((v) => (
                  <li key={v.value} className={styles.facetValue} data-value={v.value}>
                    <span className={styles.facetText} title={v.value}>{shortValue(v.value)}</span>
                    <span className={styles.facetCount}>{formatCount(v.count)}</span>
                    <button type="button" className={styles.iconButton} aria-label={`Filter for ${f.field} ${v.value}`} title="Filter for this value" onClick={() => apply(f.field, v.value, 'include')}>
                      +
                    </button>
                    <button type="button" className={styles.iconButton} aria-label={`Filter out ${f.field} ${v.value}`} title="Filter out this value" onClick={() => apply(f.field, v.value, 'exclude')}>
                      −
                    </button>
                  </li>
                ))}
              </ul>
              {f.other > 0 || f.missing > 0 ? (
                <p className={styles.faint}>
                  {f.other > 0 ? `${formatCount(f.other)} other` : ''}
                  {f.other > 0 && f.missing > 0 ? ' · ' : ''}
                  {f.missing > 0 ? `${formatCount(f.missing)} without` : ''}
                </p>
              ) : null}
            </section>
          ))}
        </div>
      )}
    </Panel>
  );
}
