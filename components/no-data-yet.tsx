import styles from './notice.module.css';

/** Shown instead of a page when the store's database does not exist yet: what to run to get data. */
export function NoDataYet({ path }: { path: string }) {
  return (
    <section className={styles.notice} data-testid="no-data-yet" role="status">
      <h1>No data yet</h1>
      <p>
        keyscope has no database at <code>{path}</code>: nothing has been ingested yet.
      </p>
      <ul>
        <li>
          Start the ingest service (it creates the database and keeps it current): <code>npm run ingest</code>, or import a
          traffic directory: <code>npm run ingest -- import &lt;dir&gt; --db {path}</code>
        </li>
        <li>
          Or try keyscope with generated traffic: <code>npm run demo</code>
        </li>
        <li>
          Already ingesting elsewhere? Point the dashboard at that database with <code>KEYSCOPE_SQLITE_PATH</code>.
        </li>
      </ul>
      <p className={styles.faint}>This page picks the data up on the next load once the database exists.</p>
    </section>
  );
}
