import 'server-only';
import { ON_CALL_REQUESTS, type OnCallRequestName } from '../oncall-fetcher';
import { decodeSearch } from '../search-codec';
import { errorResponse, jsonResponse } from './http-errors';
import { storeFetcher } from './store-fetcher';

/**
 * A GET handler for one on-call request: query string → the request's schema (400 naming
 * what is wrong) → the store → JSON. Each app/api/oncall/<name>/route.ts is one line of this.
 */
export function answerRoute(name: OnCallRequestName): (request: Request) => Promise<Response> {
  return async (request) => {
    try {
      const params = ON_CALL_REQUESTS[name].parse(decodeSearch(new URL(request.url).searchParams));
      const fetch = storeFetcher[name] as (p: unknown) => Promise<unknown>;
      return jsonResponse(await fetch(params));
    } catch (err) {
      return errorResponse(err);
    }
  };
}
