'use client';

import { FilterSelects } from './filter-selects';
import { RefreshControl } from './refresh-control';
import { TimeRangePicker } from './time-range-picker';
import styles from './oncall.module.css';

/** Everything that chooses the view: range, filters, refresh. All of it lives in the URL. */
export function OnCallToolbar() {
  return (
    <div className={styles.toolbar} role="toolbar" aria-label="View">
      <TimeRangePicker />
      <FilterSelects />
      <RefreshControl />
    </div>
  );
}
