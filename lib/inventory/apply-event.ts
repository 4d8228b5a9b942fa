import type { AuditEvent } from '../model/audit-event';
import { KEY_STATES, type KeyStateName } from '../model/key-state';
import { isNewer, maxMs, minMs, parseKeyArnParts, useTime, type KeyFacts } from './key-facts';
import { parseKmsDate } from './kms-date';

type Json = Record<string, unknown>;

const obj = (v: unknown): Json | undefined => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : undefined);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v.length > 0 ? v : undefined);

/** Calls that always use the key's current material: the version they name is the current one as of their time. */
const USES_CURRENT = new Set(['Encrypt', 'GenerateDataKey', 'GenerateDataKeyWithoutPlaintext', 'GenerateDataKeyPair', 'GenerateDataKeyPairWithoutPlaintext', 'ReEncrypt']);

/**
 * A successful data-plane call: first/last use, and the KEK version it used. Returns
 * whether anything changed. Last use, and the times it gives the current version and the
 * state, are at minute resolution (useTime): a busy key changes once a minute.
 */
export function applyUse(f: KeyFacts, atMs: number, eventName: string, materialId: string | null, tie: string): boolean {
  const before = [f.firstUsedMs, f.lastUsedMs, f.versions.size, f.currentVersion?.atMs, f.currentVersion?.value, f.updatedMs];
  const minute = useTime(atMs);
  f.firstUsedMs = minMs(f.firstUsedMs, atMs);
  f.lastUsedMs = maxMs(f.lastUsedMs, minute);
  if (materialId !== null) {
    f.versions.set(materialId, minMs(f.versions.get(materialId) ?? null, atMs));
    if (USES_CURRENT.has(eventName) && isNewer(f.currentVersion, minute, tie)) f.currentVersion = { value: materialId, atMs: minute, tie };
  }
  f.updatedMs = Math.max(f.updatedMs, minute, f.firstUsedMs, f.versions.get(materialId ?? '') ?? 0);
  const after = [f.firstUsedMs, f.lastUsedMs, f.versions.size, f.currentVersion?.atMs, f.currentVersion?.value, f.updatedMs];
  return before.some((v, i) => v !== after[i]);
}

export type ManagementContext = {
  facts: (keyArn: string) => KeyFacts;
  /** Points `aliasName` at `target` (null: deleted); `keyArn` is the key the event names. */
  setAlias: (keyArn: string, aliasName: string, target: string | null) => void;
  changed: Set<string>;
};

function setState(f: KeyFacts, state: KeyStateName, deletionDate: string | null, atMs: number, tie: string): void {
  if (isNewer(f.state, atMs, tie)) f.state = { value: { state, deletionDate }, atMs, tie };
}

/** KeyMetadata.keyState as KMS writes it, in KeyState's terms (a replica being created is about to be enabled). */
function keyStateName(v: unknown): KeyStateName | null {
  if (v === 'Creating' || v === 'Updating') return 'Enabled';
  if (v === 'PendingReplicaDeletion') return 'PendingDeletion';
  return typeof v === 'string' && (KEY_STATES as readonly string[]).includes(v) ? (v as KeyStateName) : null;
}

/** The key UpdateAlias/CreateAlias points to: targetKeyId as an ARN, or the listed key with that id. */
function aliasTarget(e: AuditEvent): string | null {
  const target = str(obj(e.raw.requestParameters)?.targetKeyId);
  if (target !== undefined) {
    if (parseKeyArnParts(target)) return target;
    const resources = Array.isArray(e.raw.resources) ? (e.raw.resources as unknown[]) : [];
    for (const r of resources) {
      const arn = str(obj(r)?.ARN);
      if (arn !== undefined && parseKeyArnParts(arn)?.keyId === target) return arn;
    }
  }
  return e.keyArn;
}

function replicaArn(e: AuditEvent): string | null {
  const meta = obj(obj(e.raw.responseElements)?.replicaKeyMetadata);
  const arn = str(meta?.arn);
  if (arn !== undefined) return arn;
  const region = str(obj(e.raw.requestParameters)?.replicaRegion);
  const primary = e.keyArn === null ? null : parseKeyArnParts(e.keyArn);
  if (region === undefined || primary === null) return null;
  return e.keyArn!.replace(`:kms:${primary.region}:`, `:kms:${region}:`);
}

/**
 * A successful management event's effect on the inventory. Each sets facts with the
 * event's time, which replace older ones only, so the order events arrive in does not
 * matter (a late DisableKey older than an EnableKey already seen changes nothing).
 */
export function applyManagementEvent(e: AuditEvent, atMs: number, ctx: ManagementContext): void {
  const tie = e.id;
  const rp = obj(e.raw.requestParameters);
  const re = obj(e.raw.responseElements);
  if (e.keyArn === null) return;
  const f = ctx.facts(e.keyArn);
  let touched = true;
  let touchedAt = atMs;
  switch (e.eventName) {
    case 'CreateKey': {
      const meta = obj(re?.keyMetadata);
      const origin = str(meta?.origin) ?? str(rp?.origin);
      const state = keyStateName(meta?.keyState) ?? (origin === 'EXTERNAL' ? 'PendingImport' : 'Enabled');
      setState(f, state, null, atMs, tie);
      if (f.createdKmsMs === null) f.createdAtMs = minMs(f.createdAtMs, atMs);
      // New keys start with automatic rotation off.
      if (isNewer(f.rotation, atMs, tie)) f.rotation = { value: { enabled: false, periodDays: null }, atMs, tie };
      const material = str(meta?.currentKeyMaterialId) ?? e.keyMaterialId;
      if (material !== undefined && material !== null) {
        f.versions.set(material, minMs(f.versions.get(material) ?? null, atMs));
        if (isNewer(f.currentVersion, atMs, tie)) f.currentVersion = { value: material, atMs, tie };
      }
      if (meta?.multiRegion === true && obj(meta.multiRegionConfiguration)?.multiRegionKeyType === 'REPLICA') {
        const primary = str(obj(obj(meta.multiRegionConfiguration)?.primaryKey)?.arn);
        if (primary !== undefined && isNewer(f.primaryKeyArn, atMs, tie)) f.primaryKeyArn = { value: primary, atMs, tie };
      }
      break;
    }
    case 'EnableKey':
      setState(f, 'Enabled', null, atMs, tie);
      break;
    case 'DisableKey':
      setState(f, 'Disabled', null, atMs, tie);
      break;
    case 'ScheduleKeyDeletion': {
      const days = typeof rp?.pendingWindowInDays === 'number' ? rp.pendingWindowInDays : 30;
      const date = parseKmsDate(re?.deletionDate) ?? atMs + days * 86_400_000;
      setState(f, 'PendingDeletion', new Date(date).toISOString(), atMs, tie);
      break;
    }
    case 'CancelKeyDeletion':
      // KMS leaves a key whose deletion was cancelled disabled.
      setState(f, 'Disabled', null, atMs, tie);
      break;
    case 'DeleteKey':
      setState(f, 'Deleted', f.state?.value.deletionDate ?? null, atMs, tie);
      break;
    case 'EnableKeyRotation': {
      const period = typeof rp?.rotationPeriodInDays === 'number' ? rp.rotationPeriodInDays : 365;
      if (isNewer(f.rotation, atMs, tie)) f.rotation = { value: { enabled: true, periodDays: period }, atMs, tie };
      break;
    }
    case 'DisableKeyRotation':
      if (isNewer(f.rotation, atMs, tie)) f.rotation = { value: { enabled: false, periodDays: null }, atMs, tie };
      break;
    case 'RotateKey':
      f.lastRotatedMs = maxMs(f.lastRotatedMs, atMs);
      if (e.previousKeyMaterialId !== null) f.versions.set(e.previousKeyMaterialId, minMs(f.versions.get(e.previousKeyMaterialId) ?? null, atMs - 1));
      if (e.keyMaterialId !== null) {
        f.versions.set(e.keyMaterialId, minMs(f.versions.get(e.keyMaterialId) ?? null, atMs));
        if (isNewer(f.currentVersion, atMs, tie)) f.currentVersion = { value: e.keyMaterialId, atMs, tie };
      }
      break;
    case 'RotateKeyOnDemand':
      f.lastRotatedMs = maxMs(f.lastRotatedMs, atMs);
      break;
    case 'PutKeyPolicy':
      f.policyUpdatedMs = maxMs(f.policyUpdatedMs, atMs);
      break;
    case 'CreateAlias':
    case 'UpdateAlias': {
      const name = str(rp?.aliasName);
      const target = aliasTarget(e);
      if (name !== undefined && target !== null) ctx.setAlias(target, name, target);
      touched = false;
      break;
    }
    case 'DeleteAlias': {
      const name = str(rp?.aliasName);
      if (name !== undefined) ctx.setAlias(e.keyArn, name, null);
      touched = false;
      break;
    }
    case 'ImportKeyMaterial':
      // Importing into a key waiting for material enables it; into a disabled key it stays disabled.
      if (f.state === null || f.state.value.state === 'PendingImport') setState(f, 'Enabled', null, atMs, tie);
      if (e.keyMaterialId !== null) {
        f.versions.set(e.keyMaterialId, minMs(f.versions.get(e.keyMaterialId) ?? null, atMs));
        if (f.currentVersion === null) f.currentVersion = { value: e.keyMaterialId, atMs, tie };
      }
      break;
    case 'DeleteImportedKeyMaterial':
    case 'DeleteExpiredKeyMaterial':
      setState(f, 'PendingImport', null, atMs, tie);
      break;
    case 'ReplicateKey': {
      const arn = replicaArn(e);
      if (arn === null) break;
      const r = ctx.facts(arn);
      const meta = obj(re?.replicaKeyMetadata);
      setState(r, keyStateName(meta?.keyState) ?? 'Enabled', null, atMs, tie);
      if (r.createdKmsMs === null) r.createdAtMs = minMs(r.createdAtMs, atMs);
      if (isNewer(r.primaryKeyArn, atMs, tie)) r.primaryKeyArn = { value: e.keyArn, atMs, tie };
      r.updatedMs = Math.max(r.updatedMs, atMs);
      ctx.changed.add(arn);
      break;
    }
    default:
      // Any other call (DescribeKey, CreateGrant, ...) still shows the key exists; at a use's resolution, as it may be frequent.
      touchedAt = useTime(atMs);
      break;
  }
  if (touched) {
    const before = f.updatedMs;
    f.updatedMs = Math.max(f.updatedMs, touchedAt);
    if (touchedAt !== atMs && before === f.updatedMs) return;
    ctx.changed.add(e.keyArn);
  }
}
