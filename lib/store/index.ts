import type { StoreConfig } from '../config';
import { openElasticsearchStore, type ElasticsearchStoreOptions } from './elasticsearch/elasticsearch-store';
import { openSqliteStore } from './sqlite/sqlite-store';
import type { OpenMode, Store } from './types';

export type OpenStoreOptions = {
  /** 'readonly' for the dashboard and other readers; the ingest service opens 'readwrite'. */
  mode?: OpenMode;
  /** Wall clock for write times and default `now`; tests pin it. */
  clock?: () => number;
  /** Elasticsearch only: refresh after each write (tests), and how long to wait out an unavailable cluster. */
  elasticsearch?: Pick<ElasticsearchStoreOptions, 'refreshAfterWrite' | 'retry'>;
};

/** The one factory: picks the backend named in config (lib/config.ts `store`). */
export async function openStore(config: StoreConfig, options: OpenStoreOptions = {}): Promise<Store> {
  switch (config.backend) {
    case 'sqlite':
      return openSqliteStore({ path: config.sqlitePath, mode: options.mode ?? 'readwrite', clock: options.clock ?? Date.now });
    case 'elasticsearch':
      return openElasticsearchStore({ config: config.elasticsearch, mode: options.mode ?? 'readwrite', clock: options.clock ?? Date.now, ...options.elasticsearch });
  }
}

export type { Store } from './types';
