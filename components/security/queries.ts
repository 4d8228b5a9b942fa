import { queryOptions } from '@tanstack/react-query';
import type { QuestionFetcher } from '@/lib/dashboard/question-fetcher';
import { resolveRange, type RangeSpec } from '@/lib/dashboard/time-range';
import type { AuditFieldValuesParams } from '@/lib/questions/audit-field-values/definition';
import type { SecurityView } from './url-state';

/** Rows per page of the results table. */
export const PAGE_SIZE = 50;

/**
 * The one query-key factory of /security (STYLE.md 4). Keys hold the range as chosen, never
 * resolved times, so the server's prefetch hydrates the browser's query.
 */
export const securityKeys = {
  all: ['security'] as const,
  search: (v: SecurityView, after: string | undefined) => ['security', 'auditSearch', { range: v.range, query: v.query, after: after ?? null }] as const,
  facets: (v: SecurityView) => ['security', 'auditFacets', { range: v.range, query: v.query }] as const,
  histogram: (v: SecurityView) => ['security', 'auditHistogram', { range: v.range, query: v.query }] as const,
  event: (id: string) => ['security', 'auditEvent', { id }] as const,
  fieldValues: (range: RangeSpec, field: string, prefix: string) => ['security', 'auditFieldValues', { range, field, prefix }] as const,
};

/** The empty query is sent as no query at all (the question's default: every event). */
const queryParam = (q: string): { query?: string } => (q.trim() === '' ? {} : { query: q });

/** queryOptions over a fetcher: the store's on the server (prefetch), the API's in the browser. */
export function securityQueries(fetcher: QuestionFetcher, clock: () => number = Date.now) {
  const at = (range: RangeSpec) => resolveRange(range, clock());
  return {
    search: (v: SecurityView, after: string | undefined) =>
      queryOptions({
        queryKey: securityKeys.search(v, after),
        queryFn: ({ signal }) => {
          const r = at(v.range);
          return fetcher('auditSearch', { from: r.from, to: r.to, ...queryParam(v.query), limit: PAGE_SIZE, ...(after ? { after } : {}) }, signal);
        },
      }),
    facets: (v: SecurityView) =>
      queryOptions({
        queryKey: securityKeys.facets(v),
        queryFn: ({ signal }) => {
          const r = at(v.range);
          return fetcher('auditFacets', { from: r.from, to: r.to, ...queryParam(v.query) }, signal);
        },
      }),
    histogram: (v: SecurityView) =>
      queryOptions({
        queryKey: securityKeys.histogram(v),
        queryFn: ({ signal }) => {
          const r = at(v.range);
          return fetcher('auditHistogram', { from: r.from, to: r.to, ...queryParam(v.query) }, signal);
        },
      }),
    event: (id: string) =>
      queryOptions({
        queryKey: securityKeys.event(id),
        queryFn: ({ signal }) => fetcher('auditEvent', { id }, signal),
        // An event never changes once stored.
        staleTime: Infinity,
      }),
    fieldValues: (range: RangeSpec, field: AuditFieldValuesParams['field'], prefix: string) =>
      queryOptions({
        queryKey: securityKeys.fieldValues(range, field, prefix),
        queryFn: ({ signal }) => {
          const r = at(range);
          return fetcher('auditFieldValues', { from: r.from, to: r.to, field, prefix, limit: 10 }, signal);
        },
      }),
  };
}
export type SecurityQueries = ReturnType<typeof securityQueries>;
