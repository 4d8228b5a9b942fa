import { ApiError, ErrorBodySchema } from './api-error';
import { questionPath, type QuestionFetcher } from './question-fetcher';
import { encodeSearch } from './search-codec';

/**
 * The browser's fetcher: GET /api/questions/<name> with the request in the query string.
 * Results are trusted as the server validated them; errors become ApiError so panels can
 * tell "no data yet" from a bad request from a broken store.
 */
export function createApiFetcher(): QuestionFetcher {
  return async (name, request, signal) => {
    const url = `${questionPath(name)}?${encodeSearch(request as Record<string, unknown>).toString()}`;
    const res = await fetch(url, { signal: signal ?? null, headers: { accept: 'application/json' } });
    const body: unknown = await res.json().catch(() => null);
    if (res.ok) return body as never;
    const parsed = ErrorBodySchema.safeParse(body);
    if (parsed.success) throw new ApiError(res.status, parsed.data.error.code, parsed.data.error.message, parsed.data.error.issues);
    throw new ApiError(res.status, 'internal', `${res.status} ${res.statusText || 'error'} from ${questionPath(name)}`);
  };
}
