'use client';

import { ExportLinks } from './export-links';
import { FacetsPanel } from './facets-panel';
import { HistogramChart } from './histogram-chart';
import { QueryBar } from './query-bar';
import { ResultsTable } from './results-table';
import { SaveSearchControl } from './save-search-control';
import { SecurityTimeRangePicker } from './time-range-picker';
import { FRESH_RESULTS, useSecurityUrl, useSecurityView } from './use-security-view';
import styles from './security.module.css';

/** The /security body: range and query on top, facets beside histogram and events. */
export function SecurityDashboard() {
  const { view } = useSecurityView();
  const [, setUrl] = useSecurityUrl();
  return (
    <>
      <div className={styles.toolbar} role="toolbar" aria-label="Search">
        <div className={styles.toolbarTop}>
          <SecurityTimeRangePicker />
          <SaveSearchControl />
        </div>
        {/* Keyed by the applied query: a facet click or a saved search replaces the text being edited. */}
        <QueryBar key={view.query} applied={view.query} range={view.range} onApply={(query) => void setUrl({ query, ...FRESH_RESULTS })} />
      </div>
      <div className={styles.layout}>
        <aside className={styles.side}>
          <FacetsPanel />
        </aside>
        <div className={styles.mainCol}>
          <HistogramChart />
          <ResultsTable toolbar={<ExportLinks />} />
        </div>
      </div>
    </>
  );
}
