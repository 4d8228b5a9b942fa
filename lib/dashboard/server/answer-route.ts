import 'server-only';
import { ON_CALL_REQUESTS, type OnCallRequestName } from '../oncall-fetcher';
import { decodeSearch } from '../search-codec';
import { withReadSignal } from '../../store/read-signal';
import { jsonResponse } from './http-errors';
import { storeFetcher } from './store-fetcher';

/**
 * The handler of one on-call request: query string → the request's schema (400 naming
 * what is wrong) → the store → JSON. Each app/api/oncall/<name>/route.ts wraps one of
 * these in guardRoute, which maps what it throws to HTTP.
 */
export function answerRoute(name: OnCallRequestName): (request: Request) => Promise<Response> {
  return async (request) => {
    const params = ON_CALL_REQUESTS[name].parse(decodeSearch(new URL(request.url).searchParams));
    const fetch = storeFetcher[name] as (p: unknown) => Promise<unknown>;
    return jsonResponse(await withReadSignal(request.signal, () => fetch(params)));
  };
}
