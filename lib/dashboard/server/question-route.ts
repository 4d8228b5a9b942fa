import 'server-only';
import { decideAudience } from '../../auth/access';
import type { RouteContext } from '../../auth/next/guard-route';
import { NotFoundError } from '../../questions/errors';
import { questionNamed } from '../../questions/registry';
import { decodeSearch } from '../search-codec';
import { errorBody, jsonResponse } from './http-errors';
import { answerRequest } from './store-fetcher';

/**
 * GET /api/questions/<name>: the question by name (404 if there is none), its audience
 * against the session's role (403), the query string through its schema (400 naming what is
 * wrong), the store, JSON. guardRoute has checked the session and maps what this throws.
 */
export async function answerQuestionRoute(request: Request, ctx: RouteContext): Promise<Response> {
  const url = new URL(request.url);
  const name = decodeURIComponent(url.pathname.slice(url.pathname.lastIndexOf('/') + 1));
  const question = questionNamed(name);
  if (question === undefined) throw new NotFoundError(`there is no question named "${name.slice(0, 64)}"`);
  const role = ctx.viewer?.role ?? null;
  if (decideAudience(question.audience, role) !== 'allow') {
    return errorBody(403, 'forbidden', `your role (${role}) may not ask ${question.name}`, ctx.requestId);
  }
  return jsonResponse(await answerRequest(question, decodeSearch(url.searchParams), request.signal));
}
