import 'server-only';
import { existsSync } from 'node:fs';
import { loadConfig, type Config } from '../../config';
import { loadSloConfig } from '../../detect/load-slo-config';
import type { SloDefinition } from '../../detect/slo-config';
import { openStore, type Store } from '../../store';
import { NoDataYetError } from './errors';
import { logFailure } from './server-log';

let config: Config | undefined;
let store: Promise<Store> | undefined;
let slos: Promise<SloDefinition[]> | undefined;

function cfg(): Config {
  config ??= loadConfig();
  return config;
}

/**
 * The dashboard's store: opened read-only once per server process (the ingest service is
 * the writer). A database that does not exist yet is "no data yet", not a failure; a
 * failed open is not cached, so the page recovers once the ingest service has run.
 */
export function getReadStore(): Promise<Store> {
  const { store: storeConfig } = cfg();
  if (storeConfig.backend === 'sqlite' && !existsSync(storeConfig.sqlitePath)) {
    return Promise.reject(new NoDataYetError(storeConfig.sqlitePath));
  }
  store ??= openStore(storeConfig, { mode: 'readonly' }).catch((err: unknown) => {
    store = undefined;
    throw err;
  });
  return store;
}

/** The SLOs in config (KEYSCOPE_SLO_CONFIG) or the seed defaults; read once per process. */
export function getSloDefinitions(): Promise<SloDefinition[]> {
  slos ??= loadSloConfig(cfg().sloConfigPath).catch((err: unknown) => {
    slos = undefined;
    throw err;
  });
  return slos;
}

export type StoreAvailability = { state: 'ready' } | { state: 'no-data'; path: string } | { state: 'error'; message: string };

/**
 * Whether the page can show data, checked before rendering so a missing database gets its
 * own page. A failure's details go to the server log; the page gets a short message.
 */
export async function storeAvailability(requestId: string): Promise<StoreAvailability> {
  try {
    await getReadStore();
    return { state: 'ready' };
  } catch (err) {
    if (err instanceof NoDataYetError) return { state: 'no-data', path: err.path };
    logFailure(requestId, 'opening the store failed', err);
    return { state: 'error', message: `The server log has the details (request id ${requestId}).` };
  }
}
