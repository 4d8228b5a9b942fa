import 'server-only';
import { ZodError } from 'zod';
import { ConfigError } from '../../config';
import { SloConfigError } from '../../detect/slo-config';
import { StoreError } from '../../store/types';
import type { ErrorBody, ErrorCode } from '../api-error';
import { NoDataYetError, NotFoundError, SloOutOfScopeError } from './errors';

const NO_STORE = { 'cache-control': 'no-store' };

function body(status: number, code: ErrorCode, message: string, issues?: ErrorBody['error']['issues']): Response {
  const error: ErrorBody['error'] = issues === undefined ? { code, message } : { code, message, issues };
  return Response.json({ error } satisfies ErrorBody, { status, headers: NO_STORE });
}

/**
 * Typed errors to HTTP, in one place (STYLE.md 12). Invalid input names each field and
 * rule; a store that is missing or broken is 503 (try again later); anything unexpected
 * is 500 with a generic message, the details going to the server log only.
 */
export function errorResponse(err: unknown): Response {
  if (err instanceof ZodError) {
    const issues = err.issues.map((i) => ({ path: i.path.join('.') || '(query)', message: i.message }));
    return body(400, 'invalid_params', `invalid parameters: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`, issues);
  }
  if (err instanceof NotFoundError) return body(404, 'not_found', err.message);
  if (err instanceof SloOutOfScopeError) return body(409, 'slo_out_of_scope', err.message);
  if (err instanceof NoDataYetError) return body(503, 'no_data_yet', err.message);
  if (err instanceof StoreError) return body(503, 'store_unavailable', err.message);
  if (err instanceof SloConfigError || err instanceof ConfigError) return body(500, 'config', err.message);
  console.error('keyscope: unexpected error answering an API request', err);
  return body(500, 'internal', 'internal error: the store could not answer (see the server log)');
}

export function jsonResponse(data: unknown): Response {
  return Response.json(data, { headers: NO_STORE });
}
