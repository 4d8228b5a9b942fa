'use client';

import { useState, type FormEvent } from 'react';
import { formatUtc } from '@/lib/dashboard/format';
import { PRESET_LABELS, RANGE_PRESETS } from '@/lib/dashboard/time-range';
import { FRESH_RESULTS, useSecurityUrl } from './use-security-view';
import styles from '@/components/oncall/oncall.module.css';

/** `datetime-local` holds no zone; these inputs are UTC, like every time on the page. */
const toInput = (iso: string | null): string => (iso && !Number.isNaN(Date.parse(iso)) ? new Date(iso).toISOString().slice(0, 16) : '');
const fromInput = (v: string): string => `${v}:00Z`;

/** Relative presets or an absolute UTC range, for the histogram, facets and table alike; a change starts at page one. */
export function SecurityTimeRangePicker() {
  const [url, setUrl] = useSecurityUrl();
  const absolute = url.from !== null && url.to !== null;
  const [editing, setEditing] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);

  const apply = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const from = String(form.get('from') ?? '');
    const to = String(form.get('to') ?? '');
    if (!from || !to) return setProblem('Give both ends of the range.');
    if (Date.parse(fromInput(to)) <= Date.parse(fromInput(from))) return setProblem('The end must be after the start.');
    setProblem(null);
    setEditing(false);
    void setUrl({ from: fromInput(from), to: fromInput(to), ...FRESH_RESULTS });
  };

  return (
    <div className={styles.rangePicker}>
      <div className={styles.segmented} role="group" aria-label="Time range">
        {RANGE_PRESETS.map((p) => (
          <button
            key={p}
            type="button"
            title={PRESET_LABELS[p]}
            aria-pressed={!absolute && url.range === p}
            onClick={() => void setUrl({ range: p, from: null, to: null, ...FRESH_RESULTS })}
          >
            {p}
          </button>
        ))}
        <button type="button" aria-pressed={absolute} aria-expanded={editing} onClick={() => setEditing((v) => !v)}>
          Custom…
        </button>
      </div>
      <span className={styles.rangeLabel} data-testid="range-label">
        {absolute ? `${formatUtc(url.from!)} → ${formatUtc(url.to!)}` : PRESET_LABELS[url.range]}
      </span>
      {absolute && Date.parse(url.to!) <= Date.parse(url.from!) ? (
        <span className={styles.rangeProblem} role="alert">
          This range ends before it starts; pick another.
        </span>
      ) : null}
      {editing ? (
        <form className={styles.customRange} onSubmit={apply} aria-label="Custom time range (UTC)">
          <label>
            from (UTC) <input type="datetime-local" name="from" step={60} defaultValue={toInput(url.from)} required />
          </label>
          <label>
            to (UTC) <input type="datetime-local" name="to" step={60} defaultValue={toInput(url.to)} required />
          </label>
          <button type="submit" className={styles.button}>Apply</button>
          {problem ? <span className={styles.formProblem} role="alert">{problem}</span> : null}
        </form>
      ) : null}
    </div>
  );
}
