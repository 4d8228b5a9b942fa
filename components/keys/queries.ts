import { queryOptions } from '@tanstack/react-query';
import type { QuestionFetcher } from '@/lib/dashboard/question-fetcher';
import { resolveRange, type RangeSpec } from '@/lib/dashboard/time-range';

/** Top values each list shows: the questions' default (numbers other than a few do not survive the query-string codec). */
export const TOP_N = 10;

/** One query-key factory for /keys, /keys/[id] and /principals/[id] (STYLE.md 4): keys hold the range as chosen. */
export const entityKeys = {
  keyList: (range: RangeSpec) => ['keys', 'keyInventory', { range }] as const,
  keyDetail: (range: RangeSpec, keyArn: string) => ['keys', 'keyDetail', { range, keyArn }] as const,
  keyUsage: (range: RangeSpec, keyArn: string) => ['keys', 'keyUsage', { range, keyArn }] as const,
  principalDetail: (range: RangeSpec, principal: string) => ['principals', 'principalDetail', { range, principal }] as const,
};

/** queryOptions over a fetcher: the server page prefetches with the store's, the browser asks the API; keys match. */
export function entityQueries(fetcher: QuestionFetcher, clock: () => number = Date.now) {
  const at = (range: RangeSpec) => resolveRange(range, clock());
  return {
    // The whole inventory (up to the question's default limit), filtered on the page: the
    // query-string codec (lib/dashboard/search-codec.ts) does not carry the inventory's filters yet.
    keyList: (range: RangeSpec) =>
      queryOptions({
        queryKey: entityKeys.keyList(range),
        queryFn: ({ signal }) => {
          const r = at(range);
          return fetcher('keyInventory', { from: r.from, to: r.to }, signal);
        },
      }),
    keyDetail: (range: RangeSpec, keyArn: string) =>
      queryOptions({
        queryKey: entityKeys.keyDetail(range, keyArn),
        queryFn: ({ signal }) => {
          const r = at(range);
          return fetcher('keyDetail', { from: r.from, to: r.to, keyArn }, signal);
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
          return fetcher('principalDetail', { from: r.from, to: r.to, now: r.now, principal }, signal);
        },
      }),
  };
}
