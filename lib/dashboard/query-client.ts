import { QueryClient, isServer } from '@tanstack/react-query';
import { ApiError } from './api-error';

/**
 * The one query client configuration (STYLE.md 5). Errors stay in the query cache and
 * reach the panels; a 4xx is not retried (the same request fails the same way), other
 * failures once.
 */
export function makeQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        // Server-prefetched data is fresh for the first render; focus refetch would make a
        // shared screen flicker, auto-refresh is the explicit control.
        staleTime: 30_000,
        refetchOnWindowFocus: false,
        // On the server a failed prefetch is left to the browser, which shows the error.
        retry: (failures, error) => !isServer && !(error instanceof ApiError && error.permanent) && failures < 1,
      },
    },
  });
}

let browserClient: QueryClient | undefined;

/** A new client per server render (no data shared between requests); one per browser tab. */
export function getQueryClient(): QueryClient {
  if (isServer) return makeQueryClient();
  browserClient ??= makeQueryClient();
  return browserClient;
}
