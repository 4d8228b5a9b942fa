/** Typed failures of the dashboard's data layer; http-errors.ts maps each to a status. */

/** The store's database does not exist yet: the ingest service has not run. */
export class NoDataYetError extends Error {
  override readonly name = 'NoDataYetError';
  constructor(readonly path: string) {
    super(`no data yet: there is no keyscope database at ${path}; start the ingest service or run npm run demo`);
  }
}
