import { ApiError, ErrorBodySchema } from './api-error';
import { ON_CALL_ROUTES, type OnCallFetcher, type OnCallRequest, type OnCallRequestName, type OnCallResults } from './oncall-fetcher';
import { encodeSearch } from './search-codec';

async function getJson(name: OnCallRequestName, params: Record<string, unknown>, signal?: AbortSignal): Promise<unknown> {
  const url = `/api/oncall/${ON_CALL_ROUTES[name]}?${encodeSearch(params).toString()}`;
  const res = await fetch(url, { signal: signal ?? null, headers: { accept: 'application/json' } });
  const body: unknown = await res.json().catch(() => null);
  if (res.ok) return body;
  const parsed = ErrorBodySchema.safeParse(body);
  if (parsed.success) throw new ApiError(res.status, parsed.data.error.code, parsed.data.error.message, parsed.data.error.issues);
  throw new ApiError(res.status, 'internal', `${res.status} ${res.statusText || 'error'} from ${url}`);
}

/**
 * The browser's fetcher: the route handlers under /api/oncall. Results are trusted as the
 * server validated them; errors become ApiError so panels can tell "no data yet" from a
 * bad request from a broken store.
 */
export function createApiFetcher(): OnCallFetcher {
  const call =
    <N extends OnCallRequestName>(name: N) =>
    (p: OnCallRequest<N>, signal?: AbortSignal) =>
      getJson(name, p as Record<string, unknown>, signal) as Promise<OnCallResults[N]>;
  return {
    sliSeries: call('sliSeries'),
    sloStatus: call('sloStatus'),
    latencyPercentiles: call('latencyPercentiles'),
    failureBreakdown: call('failureBreakdown'),
    kmsThrottling: call('kmsThrottling'),
    ingestHealth: call('ingestHealth'),
    filterValues: call('filterValues'),
  };
}
