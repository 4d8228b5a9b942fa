import { StoreError } from './types';

/**
 * The caller went away (its request's signal aborted: a closed browser tab): the SQLite
 * read's worker was terminated or the Elasticsearch search cancelled. Not a store
 * failure, so not logged as one.
 */
export class ReadCancelledError extends StoreError {
  constructor() {
    super('the request was cancelled');
  }
}
