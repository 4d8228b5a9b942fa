'use client';

import { useState } from 'react';
import styles from './security.module.css';

/** Copies `text` to the clipboard and says whether it worked (a page without clipboard access says so). */
export function CopyButton({ text, label }: { text: string; label: string }) {
  const [said, setSaid] = useState<string | null>(null);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      setSaid('Copied');
    } catch {
      setSaid('Copy failed: select the text instead');
    }
  };
  return (
    <span className={styles.copy}>
      <button type="button" className={styles.button} onClick={() => void copy()}>
        {label}
      </button>
      <span role="status" className={styles.faint}>{said}</span>
    </span>
  );
}
