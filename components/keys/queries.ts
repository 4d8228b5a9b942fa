import { queryOptions } from '@tanstack/react-query';
import type { QuestionFetcher } from '@/lib/dashboard/question-fetcher';
import { resolveRange, type RangeSpec } from '@/lib/dashboard/time-range';
import type { KeyListFilters } from './url-state';

/** Top values each list shows. */
export const TOP_N = 10;

/** One query-key factory for /keys, /keys/[id] and /principals/[id] (STYLE.md 4): keys hold the range as chosen. */
export const entityKeys = {
  keyList: (range: RangeSpec, filters: KeyListFilters) => ['keys', 'keyInventory', { range, filters }] as const,
  keyDetail: (range: RangeSpec, keyArn: string) => ['keys', 'keyDetail', { range, keyArn }] as const,
  keyUsage: (range: RangeSpec, keyArn: string) => ['keys', 'keyUsage', { range, keyArn }] as const,
  principalDetail: (range: RangeSpec, principal: string) => ['principals', 'principalDetail', { range, principal }] as const,
};

/** queryOptions over a fetcher: the server page prefetches with the store's, the browser asks the API; keys match. */
export function entityQueries(fetcher: QuestionFetcher, clock: () => number = Date.now) {
  const at = (range: RangeSpec) => resolveRange(range, clock());
  return {
    keyList: (range: RangeSpec, filters: KeyListFilters) =>
      queryOptions({
        queryKey: entityKeys.keyList(range, filters),
        queryFn: ({ signal }) => {
          const r = at(range);
          return fetcher('keyInventory', { from: r.from, to: r.to, filters, topPrincipals: 3 }, signal);
        },
      }),
    keyDetail: (range: RangeSpec, keyArn: string) =>
      queryOptions({
        queryKey: entityKeys.keyDetail(range, keyArn),
        queryFn: ({ signal }) => {
          const r = at(range);
          return fetcher('keyDetail', { from: r.from, to: r.to, keyArn, top: TOP_N }, signal);
        },
      }),
    keyUsage: (range: RangeSpec, keyArn: string) =>
      queryOptions({
        queryKey: entityKeys.keyUsage(range, keyArn),
        queryFn: ({ signal }) => {
          const r = at(range);
          return fetcher('keyUsage', { from: r.from, to: r.to, keyArn }, signal);
        },
      }),
    principalDetail: (range: RangeSpec, principal: string) =>
      queryOptions({
        queryKey: entityKeys.principalDetail(range, principal),
        queryFn: ({ signal }) => {
          const r = at(range);
          return fetcher('principalDetail', { from: r.from, to: r.to, now: r.now, principal, top: TOP_N }, signal);
        },
      }),
  };
}
