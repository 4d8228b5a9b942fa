'use client';

import styles from '@/components/notice.module.css';

/** A page's server render failed: say so, offer a retry (each segment's error.tsx re-exports this). */
export function PageError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <section className={styles.notice} role="alert" data-testid="page-error">
      <h1>This page could not be built</h1>
      <p>{error.message || 'An unexpected error occurred on the server.'}</p>
      {error.digest ? <p className={styles.faint}>Server log reference: {error.digest}</p> : null}
      <button type="button" onClick={reset}>Try again</button>
    </section>
  );
}
