/** Typed refusals of a question's request; the dashboard maps each to a status (lib/dashboard/server/http-errors.ts). */

export class NotFoundError extends Error {
  override readonly name = 'NotFoundError';
}

/** An SLO scoped to one value of a dimension was asked about another value of it. */
export class SloOutOfScopeError extends Error {
  override readonly name = 'SloOutOfScopeError';
}
