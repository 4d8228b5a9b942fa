import { inspect } from 'node:util';
import { formatKmsDate } from '../../audit/cloudtrail-record';
import type { Grant } from './grants';
import { aliasArn, isValidAliasName, keyArn, parseKeyRef } from './identifiers';
import type { KeyMaterial } from './key-material';
import { kmsErrors } from './kms-errors';
import type { KeyPolicy } from './policy';

/**
 * The local KMS's state and its state transitions (with KMS's rules on which transitions a
 * key state allows). No authorization, faults or auditing here: LocalKms wraps those around.
 */

export type KeyState = 'Enabled' | 'Disabled' | 'PendingDeletion';

const DAY_MS = 86_400_000;

export interface KeyVersion {
  /** 64 hex chars, as AWS's key material ids. */
  keyMaterialId: string;
  material: KeyMaterial;
  createdAtMs: number;
}

export interface KeyRecord {
  keyId: string;
  arn: string;
  description: string;
  createdAtMs: number;
  state: KeyState;
  deletionDateMs?: number;
  pendingWindowInDays?: number;
  rotationEnabled: boolean;
  rotationPeriodInDays: number;
  nextRotationMs?: number;
  lastRotatedMs?: number;
  versions: KeyVersion[];
  currentKeyMaterialId: string;
  policy: KeyPolicy;
}

/** DescribeKey's KeyMetadata, in the API's (and SDK's) shape. */
export interface KeyMetadata {
  AWSAccountId: string;
  KeyId: string;
  Arn: string;
  CreationDate: Date;
  Enabled: boolean;
  Description: string;
  KeyUsage: 'ENCRYPT_DECRYPT';
  KeyState: KeyState;
  DeletionDate?: Date;
  PendingDeletionWindowInDays?: number;
  Origin: 'AWS_KMS';
  KeyManager: 'CUSTOMER';
  KeySpec: 'SYMMETRIC_DEFAULT';
  CustomerMasterKeySpec: 'SYMMETRIC_DEFAULT';
  EncryptionAlgorithms: ['SYMMETRIC_DEFAULT'];
  MultiRegion: false;
  CurrentKeyMaterialId: string;
}

export class KeyStore {
  readonly keys = new Map<string, KeyRecord>();
  /** Alias name (`alias/x`) to key id. */
  readonly aliases = new Map<string, string>();
  readonly grants = new Map<string, Grant>();
  /** Keys whose deletion completed: their blobs fail with NotFound rather than as corrupt. */
  readonly deletedKeyIds = new Set<string>();

  constructor(
    readonly accountId: string,
    readonly region: string,
  ) {}

  /** The key a KeyId argument (id, ARN, alias name or alias ARN) names. */
  resolve(keyIdArg: string): KeyRecord {
    const ref = parseKeyRef(keyIdArg, this.region, this.accountId);
    if (!ref) throw kmsErrors.invalidKeyId(keyIdArg);
    if (ref.kind === 'alias') {
      const keyId = this.aliases.get(ref.aliasName);
      const key = keyId === undefined ? undefined : this.keys.get(keyId);
      if (!key) throw kmsErrors.notFound(`Alias ${aliasArn(this.region, this.accountId, ref.aliasName)}`);
      return key;
    }
    const key = this.keys.get(ref.keyId);
    if (!key) throw kmsErrors.keyNotFound(keyArn(this.region, this.accountId, ref.keyId));
    return key;
  }

  arnOf(keyId: string): string {
    return keyArn(this.region, this.accountId, keyId);
  }

  current(key: KeyRecord): KeyVersion {
    return key.versions.find((v) => v.keyMaterialId === key.currentKeyMaterialId)!;
  }

  addKey(k: { keyId: string; description: string; policy: KeyPolicy; nowMs: number; keyMaterialId: string; material: KeyMaterial }): KeyRecord {
    const key: KeyRecord = {
      keyId: k.keyId,
      arn: this.arnOf(k.keyId),
      description: k.description,
      createdAtMs: k.nowMs,
      state: 'Enabled',
      rotationEnabled: false,
      rotationPeriodInDays: 365,
      versions: [{ keyMaterialId: k.keyMaterialId, material: k.material, createdAtMs: k.nowMs }],
      currentKeyMaterialId: k.keyMaterialId,
      policy: k.policy,
    };
    this.keys.set(key.keyId, key);
    return key;
  }

  /** Makes new material current; older material stays for decryption. */
  addVersion(key: KeyRecord, keyMaterialId: string, material: KeyMaterial, nowMs: number): KeyVersion {
    const v: KeyVersion = { keyMaterialId, material, createdAtMs: nowMs };
    key.versions.push(v);
    key.currentKeyMaterialId = keyMaterialId;
    key.lastRotatedMs = nowMs;
    if (key.rotationEnabled) key.nextRotationMs = nowMs + key.rotationPeriodInDays * DAY_MS;
    return v;
  }

  /** Data-plane use and most changes need an enabled key. */
  requireEnabled(key: KeyRecord): void {
    if (key.state === 'PendingDeletion') throw kmsErrors.pendingDeletion(key.arn);
    if (key.state === 'Disabled') throw kmsErrors.disabled(key.arn);
  }

  requireNotPendingDeletion(key: KeyRecord): void {
    if (key.state === 'PendingDeletion') throw kmsErrors.pendingDeletion(key.arn);
  }

  setEnabled(key: KeyRecord, enabled: boolean): void {
    this.requireNotPendingDeletion(key);
    key.state = enabled ? 'Enabled' : 'Disabled';
  }

  scheduleDeletion(key: KeyRecord, pendingWindowInDays: number, nowMs: number): void {
    if (!Number.isInteger(pendingWindowInDays) || pendingWindowInDays < 7 || pendingWindowInDays > 30) {
      throw kmsErrors.validation('PendingWindowInDays must be an integer from 7 to 30');
    }
    this.requireNotPendingDeletion(key);
    key.state = 'PendingDeletion';
    key.pendingWindowInDays = pendingWindowInDays;
    key.deletionDateMs = nowMs + pendingWindowInDays * DAY_MS;
  }

  /** A cancelled deletion leaves the key disabled, as in KMS. */
  cancelDeletion(key: KeyRecord): void {
    if (key.state !== 'PendingDeletion') throw kmsErrors.invalidState(key.arn, key.state === 'Enabled' ? 'enabled' : 'disabled');
    key.state = 'Disabled';
    delete key.deletionDateMs;
    delete key.pendingWindowInDays;
  }

  setRotation(key: KeyRecord, enabled: boolean, nowMs: number, periodInDays?: number): void {
    this.requireEnabled(key);
    if (periodInDays !== undefined && (!Number.isInteger(periodInDays) || periodInDays < 90 || periodInDays > 2560)) {
      throw kmsErrors.validation('RotationPeriodInDays must be an integer from 90 to 2560');
    }
    key.rotationEnabled = enabled;
    if (enabled) {
      key.rotationPeriodInDays = periodInDays ?? key.rotationPeriodInDays;
      key.nextRotationMs = nowMs + key.rotationPeriodInDays * DAY_MS;
    } else {
      delete key.nextRotationMs;
    }
  }

  createAlias(aliasName: string, key: KeyRecord): void {
    this.checkAliasName(aliasName);
    this.requireNotPendingDeletion(key);
    if (this.aliases.has(aliasName)) throw kmsErrors.alreadyExists(aliasArn(this.region, this.accountId, aliasName));
    this.aliases.set(aliasName, key.keyId);
  }

  updateAlias(aliasName: string, key: KeyRecord): void {
    this.checkAliasName(aliasName);
    this.requireNotPendingDeletion(key);
    if (!this.aliases.has(aliasName)) throw kmsErrors.notFound(`Alias ${aliasArn(this.region, this.accountId, aliasName)}`);
    this.aliases.set(aliasName, key.keyId);
  }

  deleteAlias(aliasName: string): void {
    if (!this.aliases.delete(aliasName)) throw kmsErrors.notFound(`Alias ${aliasArn(this.region, this.accountId, aliasName)}`);
  }

  aliasesOf(keyId: string): string[] {
    return [...this.aliases].filter(([, id]) => id === keyId).map(([name]) => name);
  }

  /** Ends a deletion window: the key, its material, aliases and grants are gone. */
  deleteKey(keyId: string): void {
    this.keys.delete(keyId);
    for (const name of this.aliasesOf(keyId)) this.aliases.delete(name);
    for (const [id, g] of this.grants) if (g.keyId === keyId) this.grants.delete(id);
    this.deletedKeyIds.add(keyId);
  }

  private checkAliasName(aliasName: string): void {
    if (!isValidAliasName(aliasName) || aliasName.startsWith('alias/aws/')) {
      throw kmsErrors.validation(`Alias must start with alias/ and must not begin with alias/aws/: ${aliasName}`);
    }
  }

  metadata(key: KeyRecord): KeyMetadata {
    return {
      AWSAccountId: this.accountId,
      KeyId: key.keyId,
      Arn: key.arn,
      CreationDate: new Date(key.createdAtMs),
      Enabled: key.state === 'Enabled',
      Description: key.description,
      KeyUsage: 'ENCRYPT_DECRYPT',
      KeyState: key.state,
      ...(key.deletionDateMs !== undefined ? { DeletionDate: new Date(key.deletionDateMs), PendingDeletionWindowInDays: key.pendingWindowInDays } : {}),
      Origin: 'AWS_KMS',
      KeyManager: 'CUSTOMER',
      KeySpec: 'SYMMETRIC_DEFAULT',
      CustomerMasterKeySpec: 'SYMMETRIC_DEFAULT',
      EncryptionAlgorithms: ['SYMMETRIC_DEFAULT'],
      MultiRegion: false,
      CurrentKeyMaterialId: key.currentKeyMaterialId,
    };
  }

  /** KeyMetadata as CloudTrail writes it in CreateKey's responseElements. */
  metadataForTrail(key: KeyRecord): Record<string, unknown> {
    return {
      aWSAccountId: this.accountId,
      keyId: key.keyId,
      arn: key.arn,
      creationDate: formatKmsDate(key.createdAtMs),
      enabled: key.state === 'Enabled',
      description: key.description,
      keyUsage: 'ENCRYPT_DECRYPT',
      keyState: key.state,
      origin: 'AWS_KMS',
      keyManager: 'CUSTOMER',
      customerMasterKeySpec: 'SYMMETRIC_DEFAULT',
      keySpec: 'SYMMETRIC_DEFAULT',
      encryptionAlgorithms: ['SYMMETRIC_DEFAULT'],
      multiRegion: false,
    };
  }

  /** A summary without material, for logs and debuggers. */
  toJSON(): Record<string, unknown> {
    return {
      accountId: this.accountId,
      region: this.region,
      keys: [...this.keys.values()].map((k) => ({ keyId: k.keyId, state: k.state, versions: k.versions.map((v) => v.keyMaterialId) })),
      aliases: Object.fromEntries(this.aliases),
      grants: this.grants.size,
    };
  }

  [inspect.custom](): string {
    return `KeyStore ${JSON.stringify(this.toJSON())}`;
  }
}
