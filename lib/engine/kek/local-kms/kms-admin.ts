import { formatKmsDate } from '../../audit/cloudtrail-record';
import type { CallerIdentity } from '../provider';
import { aliasArn } from './identifiers';
import { KeyMaterial } from './key-material';
import type { KeyMetadata, KeyRecord } from './key-store';
import { kmsErrors } from './kms-errors';
import { LocalKmsCore } from './kms-core';
import { defaultKeyPolicy, KeyPolicySchema, type KeyPolicy, type KeyPolicyInput } from './policy';

type Who = { caller?: CallerIdentity };

function parsePolicy(policy: KeyPolicyInput | string): KeyPolicy {
  let doc: unknown = policy;
  if (typeof policy === 'string') {
    try {
      doc = JSON.parse(policy);
    } catch {
      throw kmsErrors.validation('The key policy is not valid JSON');
    }
  }
  const parsed = KeyPolicySchema.safeParse(doc);
  if (!parsed.success) throw kmsErrors.validation(`Malformed key policy: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
  return parsed.data;
}

/** Key management operations of the local KMS (the control plane), named and shaped as in KMS. */
export class LocalKmsAdmin extends LocalKmsCore {
  createKey(req: { description?: string; policy?: KeyPolicyInput | string } & Who = {}): Promise<KeyMetadata> {
    const description = req.description ?? '';
    const params = {
      description,
      keyUsage: 'ENCRYPT_DECRYPT',
      keySpec: 'SYMMETRIC_DEFAULT',
      origin: 'AWS_KMS',
      bypassPolicyLockoutSafetyCheck: false,
      multiRegion: false,
      ...(req.policy !== undefined ? { policy: typeof req.policy === 'string' ? req.policy : JSON.stringify(req.policy) } : {}),
    };
    return this.call('CreateKey', req.caller, params, (t) => {
      const policy = req.policy === undefined ? defaultKeyPolicy(this.accountId) : parsePolicy(req.policy);
      const key = this.store.addKey({
        keyId: this.ids.uuid(),
        description,
        policy,
        nowMs: this.clock.now(),
        keyMaterialId: this.newKeyMaterialId(),
        material: KeyMaterial.generate(),
      });
      t.resources.push(key.arn);
      t.response = { keyMetadata: this.store.metadataForTrail(key) };
      return this.store.metadata(key);
    });
  }

  describeKey(req: { keyId: string } & Who): Promise<KeyMetadata> {
    return this.call('DescribeKey', req.caller, { keyId: req.keyId }, (t, who) => {
      const key = this.store.resolve(req.keyId);
      t.resources.push(key.arn);
      this.authorize(key, who, 'kms:DescribeKey', 'DescribeKey');
      return this.store.metadata(key);
    });
  }

  /** Every key not yet deleted, in creation order, as ListKeys names them. */
  listKeys(req: Who = {}): Promise<Array<{ KeyId: string; KeyArn: string }>> {
    return this.call('ListKeys', req.caller, {}, () => [...this.store.keys.values()].map((k) => ({ KeyId: k.keyId, KeyArn: k.arn })));
  }

  listAliases(req: { keyId?: string } & Who = {}): Promise<Array<{ AliasName: string; AliasArn: string; TargetKeyId: string }>> {
    return this.call('ListAliases', req.caller, req.keyId ? { keyId: req.keyId } : {}, (t) => {
      const only = req.keyId ? this.store.resolve(req.keyId) : undefined;
      if (only) t.resources.push(only.arn);
      return [...this.store.aliases]
        .filter(([, id]) => !only || id === only.keyId)
        .map(([name, id]) => ({ AliasName: name, AliasArn: aliasArn(this.region, this.accountId, name), TargetKeyId: id }));
    });
  }

  createAlias(req: { aliasName: string; targetKeyId: string } & Who): Promise<void> {
    return this.call('CreateAlias', req.caller, { aliasName: req.aliasName, targetKeyId: req.targetKeyId }, (t, who) => {
      const key = this.store.resolve(req.targetKeyId);
      t.resources.push(key.arn);
      this.authorize(key, who, 'kms:CreateAlias', null);
      this.store.createAlias(req.aliasName, key);
    });
  }

  updateAlias(req: { aliasName: string; targetKeyId: string } & Who): Promise<void> {
    return this.call('UpdateAlias', req.caller, { aliasName: req.aliasName, targetKeyId: req.targetKeyId }, (t, who) => {
      const key = this.store.resolve(req.targetKeyId);
      t.resources.push(key.arn);
      this.authorize(key, who, 'kms:UpdateAlias', null);
      this.store.updateAlias(req.aliasName, key);
    });
  }

  deleteAlias(req: { aliasName: string } & Who): Promise<void> {
    return this.call('DeleteAlias', req.caller, { aliasName: req.aliasName }, (t, who) => {
      const key = this.store.resolve(req.aliasName);
      t.resources.push(key.arn);
      this.authorize(key, who, 'kms:DeleteAlias', null);
      this.store.deleteAlias(req.aliasName);
    });
  }

  enableKey(req: { keyId: string } & Who): Promise<void> {
    return this.simple('EnableKey', req, (key) => this.store.setEnabled(key, true));
  }

  disableKey(req: { keyId: string } & Who): Promise<void> {
    return this.simple('DisableKey', req, (key) => this.store.setEnabled(key, false));
  }

  enableKeyRotation(req: { keyId: string; rotationPeriodInDays?: number } & Who): Promise<void> {
    const params = { keyId: req.keyId, ...(req.rotationPeriodInDays !== undefined ? { rotationPeriodInDays: req.rotationPeriodInDays } : {}) };
    return this.simple('EnableKeyRotation', req, (key) => this.store.setRotation(key, true, this.clock.now(), req.rotationPeriodInDays), params);
  }

  disableKeyRotation(req: { keyId: string } & Who): Promise<void> {
    return this.simple('DisableKeyRotation', req, (key) => this.store.setRotation(key, false, this.clock.now()));
  }

  getKeyRotationStatus(
    req: { keyId: string } & Who,
  ): Promise<{ KeyId: string; KeyRotationEnabled: boolean; RotationPeriodInDays?: number; NextRotationDate?: Date; LastRotationDate?: Date }> {
    return this.call('GetKeyRotationStatus', req.caller, { keyId: req.keyId }, (t, who) => {
      const key = this.store.resolve(req.keyId);
      t.resources.push(key.arn);
      this.authorize(key, who, 'kms:GetKeyRotationStatus', null);
      return {
        KeyId: key.arn,
        KeyRotationEnabled: key.rotationEnabled,
        ...(key.rotationEnabled ? { RotationPeriodInDays: key.rotationPeriodInDays, NextRotationDate: new Date(key.nextRotationMs!) } : {}),
        ...(key.lastRotatedMs !== undefined ? { LastRotationDate: new Date(key.lastRotatedMs) } : {}),
      };
    });
  }

  /** RotateKeyOnDemand: new current key material now; older material still decrypts. */
  async rotateKeyOnDemand(req: { keyId: string } & Who): Promise<{ KeyId: string; KeyMaterialId: string }> {
    const key = await this.call('RotateKeyOnDemand', req.caller, { keyId: req.keyId }, (t, who) => {
      const k = this.store.resolve(req.keyId);
      t.resources.push(k.arn);
      this.authorize(k, who, 'kms:RotateKeyOnDemand', null);
      this.store.requireEnabled(k);
      t.response = { keyId: k.keyId };
      return k;
    });
    // KMS rotates right after accepting the request, and logs that as its own RotateKey event.
    const keyMaterialId = await this.rotateMaterial(key, 'ON_DEMAND', this.clock.now());
    return { KeyId: key.arn, KeyMaterialId: keyMaterialId };
  }

  /** Shorthand for rotateKeyOnDemand; resolves to the new key material id. */
  async rotate(keyId: string, caller?: CallerIdentity): Promise<string> {
    return (await this.rotateKeyOnDemand({ keyId, caller })).KeyMaterialId;
  }

  scheduleKeyDeletion(
    req: { keyId: string; pendingWindowInDays?: number } & Who,
  ): Promise<{ KeyId: string; DeletionDate: Date; KeyState: 'PendingDeletion'; PendingWindowInDays: number }> {
    const days = req.pendingWindowInDays ?? 30;
    return this.call('ScheduleKeyDeletion', req.caller, { keyId: req.keyId, pendingWindowInDays: days }, (t, who) => {
      const key = this.store.resolve(req.keyId);
      t.resources.push(key.arn);
      this.authorize(key, who, 'kms:ScheduleKeyDeletion', null);
      this.store.scheduleDeletion(key, days, this.clock.now());
      const deletionDateMs = key.deletionDateMs!;
      t.response = { keyId: key.arn, deletionDate: formatKmsDate(deletionDateMs), keyState: 'PendingDeletion', pendingWindowInDays: days };
      return { KeyId: key.arn, DeletionDate: new Date(deletionDateMs), KeyState: 'PendingDeletion' as const, PendingWindowInDays: days };
    });
  }

  cancelKeyDeletion(req: { keyId: string } & Who): Promise<{ KeyId: string }> {
    return this.call('CancelKeyDeletion', req.caller, { keyId: req.keyId }, (t, who) => {
      const key = this.store.resolve(req.keyId);
      t.resources.push(key.arn);
      this.authorize(key, who, 'kms:CancelKeyDeletion', null);
      this.store.cancelDeletion(key);
      t.response = { keyId: key.arn };
      return { KeyId: key.arn };
    });
  }

  getKeyPolicy(req: { keyId: string } & Who): Promise<{ Policy: string; PolicyName: 'default' }> {
    return this.call('GetKeyPolicy', req.caller, { keyId: req.keyId, policyName: 'default' }, (t, who) => {
      const key = this.store.resolve(req.keyId);
      t.resources.push(key.arn);
      this.authorize(key, who, 'kms:GetKeyPolicy', null);
      return { Policy: JSON.stringify(key.policy), PolicyName: 'default' as const };
    });
  }

  putKeyPolicy(req: { keyId: string; policy: KeyPolicyInput | string } & Who): Promise<void> {
    const text = typeof req.policy === 'string' ? req.policy : JSON.stringify(req.policy);
    const params = { keyId: req.keyId, policyName: 'default', policy: text, bypassPolicyLockoutSafetyCheck: false };
    return this.simple('PutKeyPolicy', req, (key) => {
      this.store.requireNotPendingDeletion(key);
      key.policy = parsePolicy(text);
    }, params);
  }

  /** The common shape: resolve the key, authorize `kms:<EventName>`, apply `change`. */
  private simple(eventName: string, req: { keyId: string } & Who, change: (key: KeyRecord) => void, params: Record<string, unknown> = { keyId: req.keyId }): Promise<void> {
    return this.call(eventName, req.caller, params, (t, who) => {
      const key = this.store.resolve(req.keyId);
      t.resources.push(key.arn);
      this.authorize(key, who, `kms:${eventName}`, null);
      change(key);
    });
  }
}
