import 'server-only';
import {
  ask, failureBreakdownQuestion, filterValuesQuestion, ingestHealthQuestion, kmsThrottlingQuestion,
  latencyPercentilesQuestion, sliSeriesQuestion, sloStatusQuestion,
} from '../../queries';
import { sloStatusRequest, type OnCallFetcher } from '../oncall-fetcher';
import { scopeSlo } from '../slo-scope';
import { NotFoundError, SloOutOfScopeError } from './errors';
import { getReadStore, getSloDefinitions } from './store-access';

/**
 * The on-call fetcher over the store itself: the server page prefetches with it (no HTTP
 * round trip to our own routes) and the route handlers answer with it. Every input goes
 * through the question's schema (`ask`), whoever calls.
 */
export const storeFetcher: OnCallFetcher = {
  sliSeries: async (p) => ask(await getReadStore(), sliSeriesQuestion, p),
  latencyPercentiles: async (p) => ask(await getReadStore(), latencyPercentilesQuestion, p),
  failureBreakdown: async (p) => ask(await getReadStore(), failureBreakdownQuestion, p),
  kmsThrottling: async (p) => ask(await getReadStore(), kmsThrottlingQuestion, p),
  ingestHealth: async (p) => ask(await getReadStore(), ingestHealthQuestion, p),
  filterValues: async (p) => ask(await getReadStore(), filterValuesQuestion, p),
  sloStatus: async (input) => {
    const p = sloStatusRequest.parse(input);
    const slo = (await getSloDefinitions()).find((s) => s.id === p.sloId);
    if (slo === undefined) throw new NotFoundError(`no SLO with id "${p.sloId}" in the SLO configuration`);
    const scoped = scopeSlo(slo, p.filters);
    if (scoped === null) throw new SloOutOfScopeError(`SLO "${slo.id}" covers only ${JSON.stringify(slo.filters)}`);
    return ask(await getReadStore(), sloStatusQuestion, { slo: scoped, now: p.now });
  },
};
