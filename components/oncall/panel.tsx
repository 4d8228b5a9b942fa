'use client';

import type { UseQueryResult } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { ApiError } from '@/lib/dashboard/api-error';
import styles from './oncall.module.css';

type PanelProps<T> = {
  /** Stable id: the panel's data-testid and its heading's id. */
  id: string;
  title: string;
  subtitle?: ReactNode;
  actions?: ReactNode;
  query: UseQueryResult<T>;
  /** Whether the answer holds nothing to draw (every bucket a gap, no failures...). */
  isEmpty: (data: T) => boolean;
  emptyText: string;
  children: (data: T) => ReactNode;
};

/**
 * The frame every on-call panel shares, and the one place its four states are drawn:
 * loading, error (with what the server said), empty, and the data. `data-state` lets the
 * browser tests wait for an answer instead of sleeping.
 */
export function Panel<T>({ id, title, subtitle, actions, query, isEmpty, emptyText, children }: PanelProps<T>) {
  const { data, error, isPending, isFetching } = query;
  const noDataYet = error instanceof ApiError && error.code === 'no_data_yet';
  const state = data !== undefined ? (isEmpty(data) ? 'empty' : 'ready') : isPending && !error ? 'loading' : noDataYet ? 'empty' : 'error';
  return (
    <section
      className={styles.panel}
      data-testid={id}
      data-state={state}
      aria-labelledby={`${id}-title`}
      aria-busy={isFetching}
    >
      <header className={styles.panelHead}>
        <div>
          <h2 id={`${id}-title`}>{title}</h2>
          {subtitle ? <div className={styles.subtitle}>{subtitle}</div> : null}
        </div>
        <div className={styles.panelActions}>
          {isFetching && data !== undefined ? <span className={styles.updating}>updating…</span> : null}
          {actions}
        </div>
      </header>
      {data !== undefined && error ? <StaleWarning error={error} /> : null}
      {state === 'loading' ? <LoadingState /> : null}
      {state === 'error' && error ? <ErrorState error={error} retry={() => void query.refetch()} /> : null}
      {state === 'empty' ? <EmptyState text={noDataYet ? error.message : emptyText} /> : null}
      {state === 'ready' && data !== undefined ? children(data) : null}
    </section>
  );
}

export function LoadingState() {
  return (
    <div className={styles.loading} role="status">
      <div className={styles.shimmer} />
      <span>Loading…</span>
    </div>
  );
}

export function EmptyState({ text }: { text: string }) {
  return (
    <div className={styles.empty} role="status">
      {text}
    </div>
  );
}

export function ErrorState({ error, retry }: { error: Error; retry?: () => void }) {
  const api = error instanceof ApiError ? error : null;
  return (
    <div className={styles.error} role="alert" data-testid="error-panel">
      <div className={styles.errorTitle}>
        Could not load this panel{api ? ` (HTTP ${api.status}${api.permanent ? ', bad request' : ''})` : ''}
      </div>
      {api && api.issues.length > 0 ? (
        <ul className={styles.issues}>
          {api.issues.map((i) => (
            <li key={`${i.path}:${i.message}`}>
              <code>{i.path}</code>: {i.message}
            </li>
          ))}
        </ul>
      ) : (
        <div className={styles.errorMessage}>{error.message}</div>
      )}
      {retry && !api?.permanent ? (
        <button type="button" className={styles.button} onClick={retry}>
          Retry
        </button>
      ) : null}
    </div>
  );
}

/** A refetch failed but an earlier answer is still shown: say it may be out of date. */
function StaleWarning({ error }: { error: Error }) {
  return <div className={styles.stale}>Showing the last answer; refreshing failed: {error.message}</div>;
}
