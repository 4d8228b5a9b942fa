import { queryOptions } from '@tanstack/react-query';
import type { SliKind } from '@/lib/detect/slo-config';
import type { FailureBreakdownParams } from '@/lib/questions/failure-breakdown/definition';
import type { QuestionFetcher } from '@/lib/dashboard/question-fetcher';
import type { OnCallView } from './url-state';
import { resolveRange, type RangeSpec } from '@/lib/dashboard/time-range';

/** Bars the failure chart shows before folding the rest into "other". */
export const FAILURE_TOP_N = 8;
/** Latest dead letters listed with their reasons. */
export const DEAD_LETTERS_SHOWN = 5;

/**
 * The one query-key factory of the on-call page (STYLE.md 4). Keys hold the view as
 * chosen (range spec and filters), never resolved times: see time-range.ts.
 */
export const onCallKeys = {
  all: ['oncall'] as const,
  sloStatus: (v: OnCallView, sloId: string) => ['oncall', 'sloStatus', { range: v.range, filters: v.filters, sloId }] as const,
  unwrapLatency: (v: OnCallView) => ['oncall', 'latencyPercentiles', { range: v.range, filters: v.filters, operation: 'unwrap' }] as const,
  sli: (v: OnCallView, sli: SliKind, thresholdMs?: number) => ['oncall', 'sliSeries', { range: v.range, filters: v.filters, sli, thresholdMs }] as const,
  failures: (v: OnCallView, by: FailureBreakdownParams['by']) => ['oncall', 'failureBreakdown', { range: v.range, filters: v.filters, by }] as const,
  kmsThrottling: (v: OnCallView) => ['oncall', 'kmsThrottling', { range: v.range, filters: v.filters }] as const,
  // Ingest health and filter values do not depend on the filters.
  ingestHealth: (range: RangeSpec) => ['oncall', 'ingestHealth', { range }] as const,
  filterValues: (range: RangeSpec) => ['oncall', 'filterValues', { range }] as const,
};

/**
 * queryOptions for every panel, over a fetcher: the server page passes the store-backed
 * one to prefetch, the browser the API one; keys match, so the prefetch hydrates. Each
 * query function resolves the range when it runs, so an auto-refresh of "last hour"
 * moves the window forward.
 */
export function onCallQueries(fetcher: QuestionFetcher, clock: () => number = Date.now) {
  const at = (range: RangeSpec) => resolveRange(range, clock());
  return {
    sloStatus: (v: OnCallView, sloId: string) =>
      queryOptions({
        queryKey: onCallKeys.sloStatus(v, sloId),
        queryFn: ({ signal }) => fetcher('sloStatus', { sloId, now: at(v.range).now, filters: v.filters }, signal),
      }),
    unwrapLatency: (v: OnCallView) =>
      queryOptions({
        queryKey: onCallKeys.unwrapLatency(v),
        queryFn: ({ signal }) => {
          const r = at(v.range);
          return fetcher('latencyPercentiles', { from: r.from, to: r.to, operation: 'unwrap', filters: v.filters }, signal);
        },
      }),
    sli: (v: OnCallView, sli: SliKind, thresholdMs?: number) =>
      queryOptions({
        queryKey: onCallKeys.sli(v, sli, thresholdMs),
        queryFn: ({ signal }) => {
          const r = at(v.range);
          return fetcher('sliSeries', { from: r.from, to: r.to, sli, thresholdMs, filters: v.filters }, signal);
        },
      }),
    failures: (v: OnCallView, by: FailureBreakdownParams['by']) =>
      queryOptions({
        queryKey: onCallKeys.failures(v, by),
        queryFn: ({ signal }) => {
          const r = at(v.range);
          return fetcher('failureBreakdown', { from: r.from, to: r.to, by, limit: FAILURE_TOP_N, filters: v.filters }, signal);
        },
      }),
    kmsThrottling: (v: OnCallView) =>
      queryOptions({
        queryKey: onCallKeys.kmsThrottling(v),
        queryFn: ({ signal }) => {
          const r = at(v.range);
          return fetcher('kmsThrottling', { from: r.from, to: r.to, filters: v.filters }, signal);
        },
      }),
    ingestHealth: (range: RangeSpec) =>
      queryOptions({
        queryKey: onCallKeys.ingestHealth(range),
        queryFn: ({ signal }) => {
          // Lag is about the present even when looking back: measured at the clock, not the range end.
          const nowMs = clock();
          const r = resolveRange(range, nowMs);
          return fetcher('ingestHealth', { from: r.from, to: r.to, now: new Date(nowMs).toISOString(), latest: DEAD_LETTERS_SHOWN }, signal);
        },
      }),
    filterValues: (range: RangeSpec) =>
      queryOptions({
        queryKey: onCallKeys.filterValues(range),
        queryFn: ({ signal }) => {
          const r = at(range);
          return fetcher('filterValues', { from: r.from, to: r.to }, signal);
        },
      }),
  };
}
export type OnCallQueries = ReturnType<typeof onCallQueries>;
