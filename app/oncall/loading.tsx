import styles from '@/components/oncall/oncall.module.css';

/** While the server asks the store for the first view (navigation from another page). */
export default function OnCallLoading() {
  return (
    <div role="status" aria-live="polite">
      <div className={styles.pageHead}>
        <h1>On-call</h1>
        <p>Loading the current view…</p>
      </div>
      <div className={styles.grid}>
        {Array.from({ length: 4 }, (_, i) => (
          <div key={i} className={styles.panel}>
            <div className={styles.shimmer} />
          </div>
        ))}
      </div>
    </div>
  );
}
