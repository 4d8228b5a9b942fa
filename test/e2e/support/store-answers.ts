import { loadConfig } from '../../../lib/config';
import { DEFAULT_SLOS } from '../../../lib/detect/slo-config';
import { openStore, type Store } from '../../../lib/store';
import { datasetDbPath, datasetEsNode, elasticsearchEnv } from './servers';

/**
 * The seeded store, opened by the test itself: expectations are what the store answers
 * for the same range and `now`, asked the same questions the page asks.
 */
export async function openDatasetStore(backend: 'sqlite' | 'elasticsearch' = 'sqlite'): Promise<Store> {
  if (backend === 'elasticsearch') return openStore(loadConfig({ ...process.env, ...elasticsearchEnv(datasetEsNode()) }).store, { mode: 'readonly' });
  return openStore({ backend: 'sqlite', sqlitePath: datasetDbPath() }, { mode: 'readonly' });
}

/** The SLOs the servers run with (no KEYSCOPE_SLO_CONFIG in the test environment). */
export const SLOS = DEFAULT_SLOS;
