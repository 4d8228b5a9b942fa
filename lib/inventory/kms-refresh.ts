import {
  DescribeKeyCommand,
  GetKeyRotationStatusCommand,
  ListAliasesCommand,
  ListKeysCommand,
  type KeyMetadata,
  type KMSClient,
} from '@aws-sdk/client-kms';
import { KEY_STATES, type KeyStateName } from '../model/key-state';
import type { Store, WriteResult } from '../store/types';
import { KeyInventory, type KmsKeySnapshot, type KmsSnapshot } from './key-inventory';
import { parseKeyArnParts } from './key-facts';

/** The one SDK method the refresh uses, so tests can pass any client. */
export type KmsClientLike = Pick<KMSClient, 'send'>;

export type ReadKmsOptions = {
  client: KmsClientLike;
  region: string;
  /** The account the client's credentials are in; read from the key ARNs when absent. */
  accountId?: string;
  /** Page size of ListKeys and ListAliases (KMS allows 1..1000; default 100). */
  pageSize?: number;
  now?: () => Date;
};

/** Errors that mean "this key does not allow or support the call": the fact stays unknown, the refresh goes on. */
const PER_KEY_ERRORS = new Set(['AccessDeniedException', 'UnsupportedOperationException', 'KMSInvalidStateException', 'NotFoundException']);

function isPerKeyError(err: unknown): boolean {
  return err instanceof Error && PER_KEY_ERRORS.has(err.name);
}

function stateOf(m: KeyMetadata): KeyStateName | null {
  const s = m.KeyState;
  if (s === 'Creating' || s === 'Updating') return 'Enabled';
  if (s === 'PendingReplicaDeletion') return 'PendingDeletion';
  return s !== undefined && (KEY_STATES as readonly string[]).includes(s) ? (s as KeyStateName) : null;
}

async function listAll<T>(page: (marker: string | undefined) => Promise<{ items: T[]; truncated: boolean; next: string | undefined }>): Promise<T[]> {
  const out: T[] = [];
  let marker: string | undefined;
  for (;;) {
    const p = await page(marker);
    out.push(...p.items);
    if (!p.truncated || p.next === undefined) return out;
    marker = p.next;
  }
}

/**
 * Reads one account and Region's keys from KMS: ListKeys (paged with Marker/Truncated),
 * DescribeKey and GetKeyRotationStatus per key, ListAliases (paged). A key that refuses
 * DescribeKey or GetKeyRotationStatus (policy, asymmetric key) keeps those facts unknown;
 * any other failure (throttling past the SDK's retries, expired credentials) fails the
 * refresh, since a partial listing would mark the keys it missed as deleted.
 */
export async function readKmsSnapshot(o: ReadKmsOptions): Promise<KmsSnapshot> {
  const limit = o.pageSize ?? 100;
  const readAt = (o.now ?? (() => new Date()))().toISOString();
  const listed = await listAll(async (Marker) => {
    const r = await o.client.send(new ListKeysCommand({ Limit: limit, ...(Marker ? { Marker } : {}) }));
    return { items: r.Keys ?? [], truncated: r.Truncated === true, next: r.NextMarker };
  });
  const keys: KmsKeySnapshot[] = [];
  for (const k of listed) {
    if (k.KeyArn === undefined || k.KeyId === undefined) continue;
    let meta: KeyMetadata | undefined;
    try {
      meta = (await o.client.send(new DescribeKeyCommand({ KeyId: k.KeyArn }))).KeyMetadata;
    } catch (err) {
      if (!isPerKeyError(err)) throw err;
    }
    let rotation: { enabled: boolean; period: number | null } | null = null;
    if (meta?.KeySpec === undefined || meta.KeySpec === 'SYMMETRIC_DEFAULT') {
      try {
        const r = await o.client.send(new GetKeyRotationStatusCommand({ KeyId: k.KeyArn }));
        rotation = { enabled: r.KeyRotationEnabled === true, period: r.RotationPeriodInDays ?? null };
      } catch (err) {
        if (!isPerKeyError(err)) throw err;
      }
    }
    const primary = meta?.MultiRegionConfiguration?.MultiRegionKeyType === 'REPLICA' ? (meta.MultiRegionConfiguration.PrimaryKey?.Arn ?? null) : null;
    keys.push({
      keyArn: k.KeyArn,
      keyId: k.KeyId,
      state: meta ? stateOf(meta) : null,
      deletionDate: meta?.DeletionDate?.toISOString() ?? null,
      createdAt: meta?.CreationDate?.toISOString() ?? null,
      rotationEnabled: rotation?.enabled ?? null,
      rotationPeriodDays: rotation?.period ?? null,
      currentVersion: meta?.CurrentKeyMaterialId ?? null,
      primaryKeyArn: primary,
    });
  }
  const aliasList = await listAll(async (Marker) => {
    const r = await o.client.send(new ListAliasesCommand({ Limit: limit, ...(Marker ? { Marker } : {}) }));
    return { items: r.Aliases ?? [], truncated: r.Truncated === true, next: r.NextMarker };
  });
  const arnById = new Map(keys.map((k) => [k.keyId, k.keyArn]));
  const aliases = aliasList.flatMap((a) => {
    const arn = a.TargetKeyId === undefined ? undefined : arnById.get(a.TargetKeyId) ?? (parseKeyArnParts(a.TargetKeyId) ? a.TargetKeyId : undefined);
    return a.AliasName !== undefined && arn !== undefined ? [{ aliasName: a.AliasName, keyArn: arn }] : [];
  });
  const accountId = o.accountId ?? (keys[0] ? parseKeyArnParts(keys[0].keyArn)?.accountId : undefined) ?? '';
  return { accountId, region: o.region, readAt, keys, aliases };
}

export type RefreshResult = { keys: number; aliases: number; keyStatesWritten: number; write: WriteResult };

/**
 * Refreshes the stored inventory from KMS for one account and Region: the listing is
 * applied to the inventory (as facts at the time it was read, so later events still win)
 * and the changed key states are written. Pass the ingest service's own inventory when it
 * runs in the service, so its next writes carry what the refresh found.
 */
export async function refreshKeyInventory(
  o: ReadKmsOptions & { store: Pick<Store, 'writeBatch' | 'keyStates'>; inventory?: KeyInventory },
): Promise<RefreshResult> {
  const snapshot = await readKmsSnapshot(o);
  const inventory = o.inventory ?? KeyInventory.fromKeyStates(await o.store.keyStates());
  const changed = inventory.applySnapshot(snapshot);
  const write = await o.store.writeBatch({ source: 'kms-refresh', keyStates: inventory.keyStates(changed) });
  return { keys: snapshot.keys.length, aliases: snapshot.aliases.length, keyStatesWritten: write.keyStates.inserted + write.keyStates.updated, write };
}
