'use client';

import type { MouseEvent } from 'react';
import { resolveRange } from '@/lib/dashboard/time-range';
import { exportAuditUrl } from '@/lib/export/export-link';
import type { ExportFormat } from '@/lib/export/encoders';
import { useSecurityView } from './use-security-view';
import styles from './security.module.css';

/**
 * Downloads of the whole search (GET /api/export/audit). A relative range is resolved when
 * clicked, so the file covers "the last hour" of that moment, not of the page's render.
 */
export function ExportLinks() {
  const { view, columns } = useSecurityView();
  const href = (format: ExportFormat) => {
    const r = resolveRange(view.range, Date.now());
    return exportAuditUrl({ format, from: r.from, to: r.to, query: view.query, columns: format === 'csv' ? columns : [] });
  };
  const refresh = (format: ExportFormat) => (e: MouseEvent<HTMLAnchorElement>) => {
    e.currentTarget.href = href(format);
  };
  return (
    <span className={styles.exports}>
      Export{' '}
      <a href={href('csv')} onClick={refresh('csv')} suppressHydrationWarning download data-testid="export-csv">
        CSV
      </a>{' '}
      ·{' '}
      <a href={href('ndjson')} onClick={refresh('ndjson')} suppressHydrationWarning download data-testid="export-ndjson">
        NDJSON
      </a>
    </span>
  );
}
