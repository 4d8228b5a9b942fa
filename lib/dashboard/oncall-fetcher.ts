import { z } from 'zod';
import { FiltersSchema } from '../queries/common';
import type { ResultOf } from '../queries/define';
import {
  failureBreakdownQuestion, filterValuesQuestion, ingestHealthQuestion, kmsThrottlingQuestion,
  latencyPercentilesQuestion, sliSeriesQuestion, sloStatusQuestion,
} from '../queries';

/**
 * The SLO status as the browser asks for it: by SLO id (the definition stays on the
 * server, in config) and the page's filters, which narrow the SLO (slo-scope.ts).
 */
export const sloStatusRequest = sloStatusQuestion.params
  .omit({ slo: true })
  .extend({ sloId: z.string().min(1).max(64), filters: FiltersSchema.default({}) })
  .strict();

/**
 * How each on-call panel's data is fetched, by name. The server page implements it over
 * the store (server/store-fetcher.ts); the browser over the route handlers
 * (api-fetcher.ts). Query options take one or the other, so keys and shapes are shared.
 */
export const ON_CALL_REQUESTS = {
  sliSeries: sliSeriesQuestion.params,
  sloStatus: sloStatusRequest,
  latencyPercentiles: latencyPercentilesQuestion.params,
  failureBreakdown: failureBreakdownQuestion.params,
  kmsThrottling: kmsThrottlingQuestion.params,
  ingestHealth: ingestHealthQuestion.params,
  filterValues: filterValuesQuestion.params,
} as const;
export type OnCallRequestName = keyof typeof ON_CALL_REQUESTS;

/** Route segment under /api/oncall/ for each request (kebab-case, like the question files). */
export const ON_CALL_ROUTES: Record<OnCallRequestName, string> = {
  sliSeries: 'sli-series',
  sloStatus: 'slo-status',
  latencyPercentiles: 'latency-percentiles',
  failureBreakdown: 'failure-breakdown',
  kmsThrottling: 'kms-throttling',
  ingestHealth: 'ingest-health',
  filterValues: 'filter-values',
};

/** What each request answers: the question's result (sloStatus: the status of one SLO). */
export type OnCallResults = {
  sliSeries: ResultOf<typeof sliSeriesQuestion>;
  sloStatus: ResultOf<typeof sloStatusQuestion>;
  latencyPercentiles: ResultOf<typeof latencyPercentilesQuestion>;
  failureBreakdown: ResultOf<typeof failureBreakdownQuestion>;
  kmsThrottling: ResultOf<typeof kmsThrottlingQuestion>;
  ingestHealth: ResultOf<typeof ingestHealthQuestion>;
  filterValues: ResultOf<typeof filterValuesQuestion>;
};

export type OnCallRequest<N extends OnCallRequestName> = z.input<(typeof ON_CALL_REQUESTS)[N]>;

export type OnCallFetcher = {
  [N in OnCallRequestName]: (params: OnCallRequest<N>, signal?: AbortSignal) => Promise<OnCallResults[N]>;
};
