import { afterAll, beforeAll } from 'vitest';
import type { Store } from '../../lib/store/types';
import { openEmptyStore, type BackendName } from '../conformance/support/backends';
import { onCallFixture } from './on-call-fixture';

/**
 * A private store of one backend for the enclosing describe block: opened and filled by
 * `fill` before its tests, removed after. Elasticsearch refreshes after every write, so a
 * test reads what was just written. `store()` is valid inside tests.
 */
export function useBackendStore(backend: BackendName, fill: (store: Store) => Promise<void>, clock: () => number = Date.now): () => Store {
  let store: Store | undefined;
  let cleanup: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    ({ store, cleanup } = await openEmptyStore(backend, clock));
    await fill(store);
  });
  afterAll(() => cleanup?.());
  return () => store!;
}

/** The on-call fixture's operations (and, with `withAudit`, its CloudTrail calls) in a store of one backend. */
export function useOnCallStore(backend: BackendName, o: { withAudit?: boolean } = {}) {
  const { ops, audit } = onCallFixture();
  const store = useBackendStore(backend, (s) => s.writeBatch({ keyOperations: ops, ...(o.withAudit ? { auditEvents: audit } : {}) }).then(() => undefined));
  return { store, ops, audit };
}
