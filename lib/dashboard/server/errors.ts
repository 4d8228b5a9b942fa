/** Typed failures of the dashboard's data layer; http-errors.ts maps each to a status. */

/** The store's database does not exist yet: the ingest service has not run. */
export class NoDataYetError extends Error {
  override readonly name = 'NoDataYetError';
  constructor(readonly path: string) {
    super(`no data yet: there is no keyscope database at ${path}; start the ingest service or run npm run demo`);
  }
}

export class NotFoundError extends Error {
  override readonly name = 'NotFoundError';
}

/** An SLO scoped to one value of a dimension was asked about another value of it. */
export class SloOutOfScopeError extends Error {
  override readonly name = 'SloOutOfScopeError';
}
