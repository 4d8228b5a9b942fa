import { AsyncLocalStorage } from 'node:async_hooks';
import { StoreError } from './types';

/**
 * The abort signal of the request a read serves (a route's `request.signal`), carried
 * to the store without widening every question's signature: a closed browser tab stops
 * its SQLite read (the worker is terminated) or cancels its Elasticsearch search.
 */
const storage = new AsyncLocalStorage<AbortSignal>();

export function withReadSignal<T>(signal: AbortSignal, fn: () => Promise<T>): Promise<T> {
  return storage.run(signal, fn);
}

/** The caller went away (its request's signal aborted): not a store failure, so not logged as one. */
export class ReadCancelledError extends StoreError {
  constructor() {
    super('the request was cancelled');
  }
}

export function currentReadSignal(): AbortSignal | undefined {
  return storage.getStore();
}
