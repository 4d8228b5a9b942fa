'use client';

import { useQueryStates } from 'nuqs';
import { formatUtc } from '@/lib/dashboard/format';
import { PRESET_LABELS, RANGE_PRESETS } from '@/lib/dashboard/time-range';
import { rangeUrlState } from './url-state';
import styles from '@/components/oncall/oncall.module.css';

/** Relative presets; an absolute range from a link is shown and kept until a preset is chosen. */
export function RangeBar() {
  const [url, setUrl] = useQueryStates(rangeUrlState, { history: 'push' });
  const absolute = url.from !== null && url.to !== null;
  return (
    <div className={styles.toolbar} role="toolbar" aria-label="View">
      <div className={styles.rangePicker}>
        <div className={styles.segmented} role="group" aria-label="Time range">
          {RANGE_PRESETS.map((p) => (
            <button key={p} type="button" title={PRESET_LABELS[p]} aria-pressed={!absolute && url.range === p} onClick={() => void setUrl({ range: p, from: null, to: null })}>
              {p}
            </button>
          ))}
        </div>
        <span className={styles.rangeLabel} data-testid="range-label">
          {absolute ? `${formatUtc(url.from!)} → ${formatUtc(url.to!)}` : PRESET_LABELS[url.range]}
        </span>
      </div>
    </div>
  );
}

/** The range the URL holds, for the page's queries. */
export function useRangeUrl() {
  return useQueryStates(rangeUrlState, { history: 'push' })[0];
}
