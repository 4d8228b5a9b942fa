import { KMSClient } from '@aws-sdk/client-kms';
import type { Config } from '../../lib/config';
import { refreshKeyInventory } from '../../lib/inventory/kms-refresh';
import { openStore } from '../../lib/store';
import { createLogger } from '../log';

export type RefreshKeysFlags = { region: string[]; endpoint?: string; db?: string };

/**
 * `ingest refresh-keys --region R ...`: reads the key inventory from KMS (ListKeys,
 * DescribeKey, GetKeyRotationStatus, ListAliases) for each Region with the standard AWS
 * credential chain, and writes the key states. Needs kms:ListKeys, kms:DescribeKey,
 * kms:GetKeyRotationStatus and kms:ListAliases. It may run while `serve` and `import` write
 * the same keys: the store merges each fact by its time inside the write (docs/store.md).
 */
export async function refreshKeysCommand(flags: RefreshKeysFlags, config: Config): Promise<number> {
  const logger = createLogger(config.logLevel, 2);
  const storeConfig = flags.db ? { backend: 'sqlite' as const, sqlitePath: flags.db } : config.store;
  const store = await openStore(storeConfig, { mode: 'readwrite' });
  let failed = false;
  try {
    for (const region of flags.region) {
      const endpoint = flags.endpoint ?? config.awsKmsEndpoint ?? undefined;
      const client = new KMSClient({ region, ...(endpoint ? { endpoint } : {}) });
      try {
        const r = await refreshKeyInventory({ client, region, store });
        process.stdout.write(`${region}: ${r.keys} keys, ${r.aliases} aliases, ${r.keyStatesWritten} key states written\n`);
      } catch (err) {
        failed = true;
        const e = err as Error;
        logger.error({ region, err: e.message, code: e.name }, 'KMS key inventory refresh failed (credentials, permissions, or KMS unreachable)');
      } finally {
        client.destroy();
      }
    }
  } finally {
    await store.close();
  }
  return failed ? 1 : 0;
}
