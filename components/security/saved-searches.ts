'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { RangeSpec } from '@/lib/dashboard/time-range';
import { listSavedSearches, removeSavedSearch, saveSearch, savedSearchKeys } from '@/lib/saved-searches/client';

/** A saved search as /security uses it: enough to open it again. */
export type SavedSearchEntry = { id: string; name: string; query: string; range: RangeSpec; columns: string[]; shared: boolean; mine: boolean };
export type NewSearch = { name: string; query: string; range: RangeSpec; columns: readonly string[]; shared: boolean };

/**
 * The seam between the page and wherever saved searches live: list, save, delete. The
 * default is /api/saved-searches (lib/saved-searches/client.ts); a test or another store
 * passes its own to SaveSearchControl.
 */
export interface SavedSearchesApi {
  list(signal?: AbortSignal): Promise<SavedSearchEntry[]>;
  save(search: NewSearch): Promise<SavedSearchEntry>;
  remove(id: string): Promise<void>;
}

export const httpSavedSearches: SavedSearchesApi = {
  list: (signal) => listSavedSearches(signal),
  save: (s) => saveSearch({ name: s.name, query: s.query, range: s.range, columns: [...s.columns], shared: s.shared }),
  remove: async (id) => {
    await removeSavedSearch(id);
  },
};

/** The list and the two writes, over React Query (a write refreshes the list). */
export function useSavedSearches(api: SavedSearchesApi = httpSavedSearches) {
  const client = useQueryClient();
  const list = useQuery({ queryKey: savedSearchKeys.all, queryFn: ({ signal }) => api.list(signal) });
  const refresh = () => client.invalidateQueries({ queryKey: savedSearchKeys.all });
  const save = useMutation({ mutationFn: (s: NewSearch) => api.save(s), onSuccess: refresh });
  const remove = useMutation({ mutationFn: (id: string) => api.remove(id), onSuccess: refresh });
  return { list, save, remove };
}
