import { afterAll, beforeAll } from 'vitest';
import type { Store } from '../../lib/store/types';
import { onCallFixture } from './on-call-fixture';
import { openTempStore } from './temp-store';

/**
 * A temp store holding the on-call fixture's operations for one test file: opened before
 * its tests, removed after. `store()` is valid inside tests.
 */
export function useOnCallStore(): { store: () => Store; ops: ReturnType<typeof onCallFixture>['ops'] } {
  let store: Store | undefined;
  let cleanup: (() => Promise<void>) | undefined;
  const { ops } = onCallFixture();
  beforeAll(async () => {
    ({ store, cleanup } = await openTempStore());
    await store.writeBatch({ keyOperations: ops });
  });
  afterAll(() => cleanup?.());
  return { store: () => store!, ops };
}
