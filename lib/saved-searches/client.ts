import { ApiError, ErrorBodySchema } from '../dashboard/api-error';
import { SavedSearchListSchema, SavedSearchSchema, type NewSavedSearch, type SavedSearch } from './schema';
import { z } from 'zod';

/**
 * The browser's side of /api/saved-searches (for components/security): typed calls over
 * fetch; every non-2xx answer becomes an ApiError with the server's message and, for a 400,
 * the offending fields. Answers are parsed, so a mismatched server fails loudly here.
 */
export const SAVED_SEARCHES_PATH = '/api/saved-searches';

async function call<T>(init: RequestInit & { path?: string }, schema: z.ZodType<T>): Promise<T> {
  const { path = SAVED_SEARCHES_PATH, ...rest } = init;
  const res = await fetch(path, { ...rest, headers: { accept: 'application/json', ...(rest.body === undefined ? {} : { 'content-type': 'application/json' }) } });
  const body: unknown = await res.json().catch(() => null);
  if (!res.ok) {
    const e = ErrorBodySchema.safeParse(body);
    if (e.success) throw new ApiError(res.status, e.data.error.code, e.data.error.message, e.data.error.issues);
    throw new ApiError(res.status, 'internal', `${res.status} ${res.statusText || 'error'} from ${SAVED_SEARCHES_PATH}`);
  }
  return schema.parse(body);
}

export function listSavedSearches(signal?: AbortSignal): Promise<SavedSearch[]> {
  return call({ method: 'GET', signal: signal ?? null }, SavedSearchListSchema).then((r) => r.savedSearches);
}

export function saveSearch(search: NewSavedSearch, signal?: AbortSignal): Promise<SavedSearch> {
  return call({ method: 'POST', body: JSON.stringify(search), signal: signal ?? null }, z.object({ savedSearch: SavedSearchSchema })).then((r) => r.savedSearch);
}

export function removeSavedSearch(id: string, signal?: AbortSignal): Promise<SavedSearch> {
  const path = `${SAVED_SEARCHES_PATH}?${new URLSearchParams({ id }).toString()}`;
  return call({ method: 'DELETE', path, signal: signal ?? null }, z.object({ deleted: SavedSearchSchema })).then((r) => r.deleted);
}

/** React Query keys for these calls (one factory, STYLE.md 4); invalidate `all` after a save or a remove. */
export const savedSearchKeys = { all: ['saved-searches'] as const };
