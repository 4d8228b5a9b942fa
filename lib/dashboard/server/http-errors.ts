import 'server-only';
import { ZodError } from 'zod';
import { ConfigError } from '../../config';
import { SloConfigError } from '../../detect/slo-config';
import { QueryTimeoutError, QueryTooLargeError } from '../../questions/cost';
import { ReadCancelledError } from '../../store/read-signal';
import { StoreError } from '../../store/types';
import type { ErrorBody, ErrorCode } from '../api-error';
import { NotFoundError, SloOutOfScopeError } from '../../questions/errors';
import { NoDataYetError } from './errors';
import { logFailure } from './server-log';

const NO_STORE = { 'cache-control': 'no-store' };

export function errorBody(status: number, code: ErrorCode, message: string, requestId: string, issues?: ErrorBody['error']['issues']): Response {
  const error: ErrorBody['error'] = issues === undefined ? { code, message, requestId } : { code, message, requestId, issues };
  return Response.json({ error } satisfies ErrorBody, { status, headers: NO_STORE });
}

/**
 * Typed errors to HTTP, in one place (STYLE.md 12). Invalid input names each field and
 * rule (it is the caller's own input); everything about the server — store, config,
 * the unexpected — gets a short message and the request id, the details going to the
 * server log only (URLs stripped of credentials).
 */
export function errorResponse(err: unknown, requestId: string): Response {
  if (err instanceof ZodError) {
    const issues = err.issues.map((i) => ({ path: i.path.join('.') || '(query)', message: i.message }));
    return errorBody(400, 'invalid_params', `invalid parameters: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`, requestId, issues);
  }
  if (err instanceof NotFoundError) return errorBody(404, 'not_found', err.message, requestId);
  if (err instanceof SloOutOfScopeError) return errorBody(409, 'slo_out_of_scope', err.message, requestId);
  if (err instanceof QueryTooLargeError) return errorBody(422, 'too_large', err.message, requestId);
  if (err instanceof QueryTimeoutError) return errorBody(503, 'timeout', err.message, requestId);
  // Nginx's 499: the client closed the request; nobody reads the answer, and it is no failure to log.
  if (err instanceof ReadCancelledError) return errorBody(499, 'cancelled', 'the request was cancelled', requestId);
  if (err instanceof NoDataYetError) return errorBody(503, 'no_data_yet', 'no data yet: start the ingest service or run npm run demo', requestId);
  logFailure(requestId, 'answering an API request failed', err);
  const ref = `(request id ${requestId})`;
  if (err instanceof StoreError) return errorBody(503, 'store_unavailable', `the store is unavailable; try again later ${ref}`, requestId);
  if (err instanceof SloConfigError || err instanceof ConfigError) return errorBody(500, 'config', `the server's configuration is invalid; see the server log ${ref}`, requestId);
  return errorBody(500, 'internal', `internal error; see the server log ${ref}`, requestId);
}

export function jsonResponse(data: unknown): Response {
  return Response.json(data, { headers: NO_STORE });
}
