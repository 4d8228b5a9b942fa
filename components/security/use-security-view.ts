'use client';

import { useQueryStates } from 'nuqs';
import { useMemo } from 'react';
import { createApiFetcher } from '@/lib/dashboard/api-fetcher';
import { securityQueries } from './queries';
import { columnsOf, cursorOf, securityUrlState, viewOf, type SecurityView } from './url-state';

/** The browser's query options: the same factory as the server's prefetch, over the API routes. */
export const clientQueries = securityQueries(createApiFetcher());

/** The page's URL state (declared in url-state.ts); each change pushes a history entry, so Back returns. */
export function useSecurityUrl() {
  return useQueryStates(securityUrlState, { history: 'push' });
}

/** What the panels ask about, the page cursor and the columns shown. */
export function useSecurityView(): { view: SecurityView; after: string | undefined; columns: readonly string[] } {
  const [url] = useSecurityUrl();
  const { range, from, to, query, cursors, columns } = url;
  const view = useMemo(() => viewOf({ range, from, to, query }), [range, from, to, query]);
  return { view, after: cursorOf({ cursors }), columns: useMemo(() => columnsOf({ columns }), [columns]) };
}

/** A new search (range or query) starts again on page one with nothing expanded. */
export const FRESH_RESULTS = { cursors: null, event: null } as const;
