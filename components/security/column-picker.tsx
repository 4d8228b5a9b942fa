'use client';

import { AUDIT_FIELDS } from '@/lib/query-language/fields';
import styles from './security.module.css';

type Props = { columns: readonly string[]; onChange: (columns: string[]) => void };

/** Which catalog fields the table shows; order is changed from the column headers. */
export function ColumnPicker({ columns, onChange }: Props) {
  const toggle = (name: string, on: boolean) => onChange(on ? [...columns, name] : columns.filter((c) => c !== name));
  return (
    <details className={styles.picker}>
      <summary className={styles.button}>Columns ({columns.length})</summary>
      <fieldset className={styles.pickerList}>
        <legend className={styles.visuallyHidden}>Columns shown</legend>
        {AUDIT_FIELDS.map((f) => (
          <label key={f.name} title={f.description}>
            <input
              type="checkbox"
              checked={columns.includes(f.name)}
              // The last column stays: an empty table has nothing to click to expand.
              disabled={columns.length === 1 && columns.includes(f.name)}
              onChange={(e) => toggle(f.name, e.target.checked)}
            />{' '}
            {f.name}
          </label>
        ))}
      </fieldset>
    </details>
  );
}

/** Columns with the one at `i` swapped with its neighbour. */
export function moveColumn(columns: readonly string[], i: number, by: -1 | 1): string[] {
  const j = i + by;
  const out = [...columns];
  if (j < 0 || j >= out.length) return out;
  [out[i], out[j]] = [out[j]!, out[i]!];
  return out;
}
