import 'server-only';
import type { Database } from 'better-sqlite3';
import type { RouteContext } from '../auth/next/guard-route';
import { actorOfRoute } from '../audit/route-audit';
import { errorBody, jsonResponse } from '../dashboard/server/http-errors';
import { createSavedSearch, deleteSavedSearch, listSavedSearches, SavedSearchForbiddenError, SavedSearchLimitError, type SavedSearchCaller } from './saved-search-db';
import { NewSavedSearchSchema, SavedSearchIdSchema } from './schema';

/** The handlers of /api/saved-searches over an auth database; guardRoute has let only analysts and admins in. */
export type SavedSearchDb = () => Promise<Database>;

function callerOf(ctx: RouteContext): SavedSearchCaller {
  const v = ctx.viewer;
  // guardRoute lets no request without a session reach a handler of this route.
  if (v === null) throw new Error('saved searches need a signed-in user');
  return { ...actorOfRoute(ctx), actorId: v.id, role: v.role };
}

export async function listRoute(_request: Request, ctx: RouteContext, db: SavedSearchDb): Promise<Response> {
  return jsonResponse({ savedSearches: listSavedSearches(await db(), callerOf(ctx).actorId) });
}

/** A body that is not JSON is the same 400 as a wrong field (the schema names what is missing). */
export async function createRoute(request: Request, ctx: RouteContext, db: SavedSearchDb): Promise<Response> {
  const body: unknown = await request.json().catch(() => null);
  try {
    const saved = createSavedSearch(await db(), NewSavedSearchSchema.parse(body ?? {}), callerOf(ctx));
    return Response.json({ savedSearch: saved }, { status: 201, headers: { 'cache-control': 'no-store' } });
  } catch (err) {
    if (err instanceof SavedSearchLimitError) return errorBody(409, 'invalid_params', err.message, ctx.requestId);
    throw err;
  }
}

export async function deleteRoute(request: Request, ctx: RouteContext, db: SavedSearchDb): Promise<Response> {
  const { id } = SavedSearchIdSchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  try {
    return jsonResponse({ deleted: deleteSavedSearch(await db(), id, callerOf(ctx)) });
  } catch (err) {
    if (err instanceof SavedSearchForbiddenError) return errorBody(403, 'forbidden', err.message, ctx.requestId);
    throw err;
  }
}
