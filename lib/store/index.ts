import type { StoreConfig } from '../config';
import { openSqliteStore } from './sqlite/sqlite-store';
import { StoreError, type OpenMode, type Store } from './types';

export type OpenStoreOptions = {
  /** 'readonly' for the dashboard and other readers; the ingest service opens 'readwrite'. */
  mode?: OpenMode;
  /** Wall clock for write times and default `now`; tests pin it. */
  clock?: () => number;
};

/** The one factory: picks the backend named in config (lib/config.ts `store`). */
export async function openStore(config: StoreConfig, options: OpenStoreOptions = {}): Promise<Store> {
  switch (config.backend) {
    case 'sqlite':
      return openSqliteStore({ path: config.sqlitePath, mode: options.mode ?? 'readwrite', clock: options.clock ?? Date.now });
    case 'elasticsearch':
      throw new StoreError('the elasticsearch store is not implemented yet; set KEYSCOPE_STORE=sqlite');
  }
}

export type { Store } from './types';
