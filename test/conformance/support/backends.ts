import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import type { ElasticsearchConfig } from '../../../lib/config';
import { openStore } from '../../../lib/store';
import type { Store } from '../../../lib/store/types';
import { tempDbPath } from '../../support/temp-store';

export type BackendName = 'sqlite' | 'elasticsearch';
export type OpenedStore = { store: Store; cleanup: () => Promise<void> };

/** A fresh, private index prefix (STYLE.md 14): suites never see or wipe each other's data. */
export function randomPrefix(): string {
  return `ks-test-${randomBytes(5).toString('hex')}`;
}

export function elasticsearchConfig(prefix = randomPrefix()): ElasticsearchConfig {
  return { nodes: [inject('elasticsearchUrl')], auth: null, caFile: null, indexPrefix: prefix, bulkBytes: 1024 * 1024, bulkConcurrency: 2 };
}

/** Opens an empty store of the named backend, private to the caller. */
export async function openEmptyStore(backend: BackendName, clock: () => number): Promise<OpenedStore> {
  if (backend === 'sqlite') {
    const db = tempDbPath();
    const store = await openStore({ backend: 'sqlite', sqlitePath: db.path }, { clock });
    return { store, cleanup: async () => { await store.close(); db.cleanup(); } };
  }
  const store = await openStore(
    { backend: 'elasticsearch', elasticsearch: elasticsearchConfig() },
    { clock, elasticsearch: { refreshAfterWrite: true, retry: { deadlineMs: 30_000 } } },
  );
  return { store, cleanup: () => store.close() };
}

export const BACKENDS: BackendName[] = ['sqlite', 'elasticsearch'];
