import 'server-only';
import { loadConfig } from '../../config';
import { errorBody, errorResponse } from '../../dashboard/server/http-errors';
import { requestIdOf } from '../../dashboard/server/request-id';
import { ACCESS, decide, type HttpMethod, type RouteAccess, type RoutePath } from '../access';
import { expectedOrigin, originProblem } from '../origin-check';
import { viewerFromHeaders, type Viewer } from './viewer';

export type RouteContext = { viewer: Viewer | null; requestId: string };
type Handler = (request: Request, ctx: RouteContext) => Promise<Response>;

const publicUrl = loadConfig().auth.publicUrl;

/**
 * Every route handler is `guardRoute('/api/…', 'GET', handler)`: the method must be
 * declared, a state-changing request must come from our own origin, the session's role
 * must be one the route allows (401 without a session, 403 otherwise), and whatever the
 * handler throws becomes a safe error with the request id.
 */
export function guardRoute(path: RoutePath, method: HttpMethod, handler: Handler): (request: Request) => Promise<Response> {
  const entry: RouteAccess = ACCESS[path];
  if (!(entry.methods ?? ['GET']).includes(method)) throw new Error(`lib/auth/access.ts does not declare ${method} for ${path}`);
  return async (request) => {
    const requestId = requestIdOf(request.headers);
    try {
      const bad = originProblem(request.method, request.headers.get('origin'), expectedOrigin(request.url, request.headers.get('host'), publicUrl));
      if (bad !== null) return errorBody(403, 'bad_origin', bad, requestId);
      const viewer = await viewerFromHeaders(request.headers);
      const d = decide(path, viewer?.role ?? null);
      if (d === 'unauthenticated') return errorBody(401, 'unauthenticated', 'sign in first', requestId);
      if (d === 'forbidden') return errorBody(403, 'forbidden', `your role (${viewer!.role}) may not use ${path}`, requestId);
      return await handler(request, { viewer, requestId });
    } catch (err) {
      return errorResponse(err, requestId);
    }
  };
}
