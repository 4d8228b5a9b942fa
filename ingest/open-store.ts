import type { Logger } from 'pino';
import type { StoreConfig } from '../lib/config';
import { openStore, type Store } from '../lib/store';

/**
 * The ingest service's writer store. With Elasticsearch, a cluster that is briefly away
 * (restart, 429, 5xx) is waited out with backoff, and each wait is logged so an operator
 * sees why ingestion paused.
 */
export function openWriterStore(config: StoreConfig, logger: Logger): Promise<Store> {
  return openStore(config, {
    mode: 'readwrite',
    elasticsearch: {
      retry: {
        onRetry: ({ attempt, delayMs, reason }) =>
          logger.warn({ attempt, delayMs, reason }, 'Elasticsearch unavailable; will retry the write'),
      },
    },
  });
}
