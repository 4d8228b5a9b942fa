import styles from './oncall.module.css';

/** One headline number with its label; raw value in data-value for tests and copy-paste. */
export function Stat({ id, label, value, format, warn }: {
  id: string;
  label: string;
  value: number | null;
  format: (v: number | null) => string;
  warn?: (v: number) => boolean;
}) {
  const bad = value !== null && warn?.(value) === true;
  return (
    <div className={styles.stat}>
      <div className={styles.statLabel}>{label}</div>
      <div className={bad ? `${styles.statValue} ${styles.statBad} num` : `${styles.statValue} num`} data-testid={id} data-value={value ?? ''}>
        {format(value)}
      </div>
    </div>
  );
}
