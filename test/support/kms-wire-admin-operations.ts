import type { CallerIdentity } from '../../lib/engine/kek/provider';
import type { LocalKms } from '../../lib/engine/kek/local-kms/local-kms';
import { WireError, type Body, type Handler } from './kms-wire-operations';

/**
 * The key-inventory reads of KMS (ListKeys, DescribeKey, GetKeyRotationStatus,
 * ListAliases) in AWS JSON 1.1 shapes, over the local KMS: timestamps as epoch seconds,
 * paging with Limit / Marker / Truncated / NextMarker as KMS pages (an opaque marker;
 * a marker it did not issue is InvalidMarkerException).
 */

export type KmsAdmin = Pick<LocalKms, 'listKeys' | 'describeKey' | 'getKeyRotationStatus' | 'listAliases'>;

export function isKmsAdmin(p: unknown): p is KmsAdmin {
  const o = p as Partial<Record<keyof KmsAdmin, unknown>>;
  return typeof o.listKeys === 'function' && typeof o.describeKey === 'function' && typeof o.getKeyRotationStatus === 'function' && typeof o.listAliases === 'function';
}

const epoch = (d: Date | undefined): number | undefined => (d === undefined ? undefined : d.getTime() / 1000);

function keyIdArg(b: Body): string {
  const v = b.KeyId;
  if (typeof v !== 'string' || v.length === 0) throw new WireError('ValidationException', "1 validation error detected: Value at 'keyId' failed to satisfy constraint: Member must not be null");
  return v;
}

/** One page of `items` from the marker on: at most min(Limit, maxPage). */
function page<T>(items: T[], b: Body, maxPage: number): { items: T[]; Truncated: boolean; NextMarker?: string } {
  const limit = b.Limit === undefined ? 100 : b.Limit;
  if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1 || limit > 1000) {
    throw new WireError('ValidationException', "1 validation error detected: Value at 'limit' failed to satisfy constraint: Member must have value between 1 and 1000");
  }
  let start = 0;
  if (b.Marker !== undefined) {
    const m = typeof b.Marker === 'string' ? /^offset:(\d+)$/.exec(Buffer.from(b.Marker, 'base64').toString('utf8')) : null;
    if (!m) throw new WireError('InvalidMarkerException', 'The marker is not valid.');
    start = Number(m[1]);
  }
  const size = Math.min(limit, maxPage);
  const slice = items.slice(start, start + size);
  const end = start + slice.length;
  return end < items.length
    ? { items: slice, Truncated: true, NextMarker: Buffer.from(`offset:${end}`).toString('base64') }
    : { items: slice, Truncated: false };
}

export function adminOperations(kms: KmsAdmin, maxPage = 1000): Record<string, Handler> {
  const who = (caller: CallerIdentity) => ({ caller });
  return {
    async ListKeys(b, caller) {
      const p = page(await kms.listKeys(who(caller)), b, maxPage);
      return { Keys: p.items, Truncated: p.Truncated, ...(p.NextMarker ? { NextMarker: p.NextMarker } : {}) };
    },
    async DescribeKey(b, caller) {
      const m = await kms.describeKey({ keyId: keyIdArg(b), ...who(caller) });
      return { KeyMetadata: { ...m, CreationDate: epoch(m.CreationDate), ...(m.DeletionDate ? { DeletionDate: epoch(m.DeletionDate) } : {}) } };
    },
    async GetKeyRotationStatus(b, caller) {
      const r = await kms.getKeyRotationStatus({ keyId: keyIdArg(b), ...who(caller) });
      return {
        KeyId: r.KeyId,
        KeyRotationEnabled: r.KeyRotationEnabled,
        ...(r.RotationPeriodInDays !== undefined ? { RotationPeriodInDays: r.RotationPeriodInDays } : {}),
        ...(r.NextRotationDate ? { NextRotationDate: epoch(r.NextRotationDate) } : {}),
      };
    },
    async ListAliases(b, caller) {
      const all = await kms.listAliases({ ...(typeof b.KeyId === 'string' ? { keyId: b.KeyId } : {}), ...who(caller) });
      const p = page(all, b, maxPage);
      return { Aliases: p.items, Truncated: p.Truncated, ...(p.NextMarker ? { NextMarker: p.NextMarker } : {}) };
    },
  };
}
