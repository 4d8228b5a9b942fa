'use client';

import styles from '@/components/notice.module.css';

/** The page itself failed (for example an invalid SLO configuration): say what, offer a retry. */
export default function OnCallError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <section className={styles.notice} role="alert" data-testid="page-error">
      <h1>The on-call page could not be built</h1>
      <p>{error.message || 'An unexpected error occurred on the server.'}</p>
      {error.digest ? <p className={styles.faint}>Server log reference: {error.digest}</p> : null}
      <button type="button" onClick={reset}>
        Try again
      </button>
    </section>
  );
}
