import styles from './notice.module.css';

/** A banner for a store that exists but cannot be read (corrupt file, schema from another version). */
export function StoreUnavailable({ message }: { message: string }) {
  return (
    <div className={styles.banner} role="alert" data-testid="store-unavailable">
      <strong>The store cannot be read.</strong> {message}
    </div>
  );
}
