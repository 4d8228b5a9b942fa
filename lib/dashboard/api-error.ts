import { z } from 'zod';

/** What a route handler says went wrong; the body of every non-2xx answer. */
export const ERROR_CODES = [
  'invalid_params', 'not_found', 'slo_out_of_scope', 'no_data_yet', 'store_unavailable', 'config', 'internal',
  'unauthenticated', 'forbidden', 'bad_origin', 'method_not_allowed', 'too_large', 'timeout', 'cancelled',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export const ErrorBodySchema = z.object({
  error: z.object({
    code: z.enum(ERROR_CODES),
    message: z.string(),
    /** Quote it to an admin: the server log has the details under this id. */
    requestId: z.string().optional(),
    /** For invalid_params: each offending field and the rule it broke. */
    issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  }),
});
export type ErrorBody = z.infer<typeof ErrorBodySchema>;

/** A failed API call as the browser sees it; panels show `message` and `issues`. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
    readonly issues: ReadonlyArray<{ path: string; message: string }> = [],
  ) {
    super(message);
  }

  /** 4xx: asking again will not help. */
  get permanent(): boolean {
    return this.status >= 400 && this.status < 500;
  }
}
