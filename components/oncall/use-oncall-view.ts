'use client';

import { useQueryStates } from 'nuqs';
import { useMemo } from 'react';
import { createApiFetcher } from '@/lib/dashboard/api-fetcher';
import { onCallQueries } from '@/components/oncall/queries';
import { REFRESH_MS, onCallUrlState, viewOf, type OnCallView } from '@/components/oncall/url-state';

/** The browser's query options: the same factory as the server's prefetch, over the API routes. */
export const clientQueries = onCallQueries(createApiFetcher());

/**
 * The page's URL state (read and written here; declared in oncall-url-state.ts). A range
 * or filter change pushes a history entry so Back returns to the previous view.
 */
export function useOnCallUrl() {
  return useQueryStates(onCallUrlState, { history: 'push' });
}

/** What the panels ask about, plus the auto-refresh interval for their queries. */
export function useOnCallView(): { view: OnCallView; refetchInterval: number | false } {
  const [url] = useOnCallUrl();
  const { range, from, to, service, tenant, kek, refresh } = url;
  // Only these fields make the view: changing the grouping or refresh keeps the same object.
  const view = useMemo(() => viewOf({ range, from, to, service, tenant, kek }), [range, from, to, service, tenant, kek]);
  return { view, refetchInterval: REFRESH_MS[refresh] };
}
