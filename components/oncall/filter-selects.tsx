'use client';

import { useQuery } from '@tanstack/react-query';
import { shortKek } from '@/lib/dashboard/format';
import { clientQueries, useOnCallUrl, useOnCallView } from './use-oncall-view';
import styles from './oncall.module.css';

type FilterKey = 'service' | 'tenant' | 'kek';

/** The selected value stays listed even when the range has none of it, so the select never lies about the filter. */
function withSelected(values: readonly string[], selected: string | null): string[] {
  return selected && !values.includes(selected) ? [selected, ...values] : [...values];
}

/** Service, tenant and KEK filters, offering the values seen in the range (filterValues question). */
export function FilterSelects() {
  const [url, setUrl] = useOnCallUrl();
  const { view } = useOnCallView();
  const { data, isPending, error } = useQuery(clientQueries.filterValues(view.range));
  const lists: Array<{ key: FilterKey; label: string; all: string; values: readonly string[]; show?: (v: string) => string }> = [
    { key: 'service', label: 'Service', all: 'All services', values: data?.services ?? [] },
    { key: 'tenant', label: 'Tenant', all: 'All tenants', values: data?.tenants ?? [] },
    { key: 'kek', label: 'KEK', all: 'All KEKs', values: data?.kekIds ?? [], show: shortKek },
  ];
  return (
    <div className={styles.filters} role="group" aria-label="Filters">
      {lists.map(({ key, label, all, values, show }) => (
        <label key={key} className={styles.filter}>
          <span>{label}</span>
          <select
            name={key}
            value={url[key] ?? ''}
            onChange={(e) => void setUrl({ [key]: e.target.value || null })}
            disabled={isPending && !url[key]}
            title={url[key] ?? all}
          >
            <option value="">{all}</option>
            {withSelected(values, url[key]).map((v) => (
              <option key={v} value={v}>{show ? show(v) : v}</option>
            ))}
          </select>
        </label>
      ))}
      {error ? <span className={styles.formProblem}>filter values unavailable: {error.message}</span> : null}
      {data?.truncated ? <span className={styles.faint}>lists cut at {data.services.length} values</span> : null}
    </div>
  );
}
