'use client';

import { useIsFetching, useQueryClient } from '@tanstack/react-query';
import { REFRESH_INTERVALS } from '@/components/oncall/url-state';
import { onCallKeys } from '@/components/oncall/queries';
import { useOnCallUrl } from './use-oncall-view';
import styles from './oncall.module.css';

const LABELS = { off: 'Off', '30s': 'every 30 s', '1m': 'every minute', '5m': 'every 5 minutes' } as const;

/** Auto-refresh interval (React Query refetchInterval, kept in the URL) and a refresh-now button. */
export function RefreshControl() {
  const [{ refresh }, setUrl] = useOnCallUrl();
  const client = useQueryClient();
  const fetching = useIsFetching({ queryKey: onCallKeys.all });
  return (
    <div className={styles.refresh}>
      <label className={styles.filter}>
        <span>Auto-refresh</span>
        <select name="refresh" value={refresh} onChange={(e) => void setUrl({ refresh: e.target.value as (typeof REFRESH_INTERVALS)[number] }, { history: 'replace' })}>
          {REFRESH_INTERVALS.map((r) => (
            <option key={r} value={r}>{LABELS[r]}</option>
          ))}
        </select>
      </label>
      <button type="button" className={styles.button} onClick={() => void client.invalidateQueries({ queryKey: onCallKeys.all })} disabled={fetching > 0}>
        {fetching > 0 ? 'Refreshing…' : 'Refresh now'}
      </button>
    </div>
  );
}
