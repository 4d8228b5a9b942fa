import { randomBytes } from 'node:crypto';
import { SYMMETRIC_DEFAULT } from '../../audit/cloudtrail-record';
import type { EncryptionContext } from '../../../model/encryption-context';
import type { CallerIdentity, DataKey, KekProvider, ReEncryptedKey, UnwrappedKey, WrappedKey } from '../provider';
import { openBlob, parseBlobHeader, sealBlob } from './ciphertext-blob';
import type { GrantOperation } from './grants';
import { loadKeyFile, saveKeyFile } from './key-file';
import type { KeyRecord, KeyVersion } from './key-store';
import { kmsErrors } from './kms-errors';
import type { CallTrail, LocalKmsOptions } from './kms-core';
import { LocalKmsGrantOps } from './kms-grant-ops';

export type { LocalKmsOptions } from './kms-core';

/** CloudTrail omits an empty encryption context rather than writing `{}`. */
function withContext(name: string, ctx: EncryptionContext | undefined): Record<string, unknown> {
  return ctx && Object.keys(ctx).length > 0 ? { [name]: ctx } : {};
}

/**
 * An in-process KMS for one account and region: keys with versioned material, aliases,
 * policies, grants, rotation, enable/disable and scheduled deletion; data-plane calls with
 * KMS's semantics and errors; injectable faults; and a CloudTrail record for every call.
 * Management operations come from LocalKmsAdmin and LocalKmsGrantOps.
 */
export class LocalKms extends LocalKmsGrantOps implements KekProvider {
  /** Restores a key store saved with `save` (account and region come from the file). */
  static async load(filePath: string, rootKey: Buffer, options: Omit<LocalKmsOptions, 'store' | 'accountId' | 'region'>): Promise<LocalKms> {
    const store = await loadKeyFile(filePath, rootKey);
    return new LocalKms({ ...options, accountId: store.accountId, region: store.region, store });
  }

  /** Writes the key store, material encrypted under `rootKey` (32 bytes). */
  async save(filePath: string, rootKey: Buffer): Promise<void> {
    await saveKeyFile(filePath, this.store, rootKey, this.clock.now());
  }

  generateDataKey(req: {
    keyId: string;
    encryptionContext: EncryptionContext;
    keySpec?: 'AES_256' | 'AES_128';
    numberOfBytes?: number;
    caller?: CallerIdentity;
  }): Promise<DataKey> {
    const ctx = req.encryptionContext ?? {};
    const size = req.numberOfBytes !== undefined ? { numberOfBytes: req.numberOfBytes } : { keySpec: req.keySpec ?? 'AES_256' };
    const params = { keyId: req.keyId, ...withContext('encryptionContext', ctx), ...size };
    return this.call('GenerateDataKey', req.caller, params, (t, who) => {
      if (req.numberOfBytes !== undefined && req.keySpec !== undefined) throw kmsErrors.validation('Specify either KeySpec or NumberOfBytes, not both');
      const n = req.numberOfBytes ?? (req.keySpec === 'AES_128' ? 16 : 32);
      if (!Number.isInteger(n) || n < 1 || n > 1024) throw kmsErrors.validation('NumberOfBytes must be from 1 to 1024');
      const { key, version } = this.usableKey(t, who, req.keyId, 'kms:GenerateDataKey', 'GenerateDataKey', ctx);
      const plaintext = randomBytes(n);
      const ciphertextBlob = sealBlob(version.material.exposeBytes(), { keyId: key.keyId, keyMaterialId: version.keyMaterialId }, plaintext, ctx);
      t.additional = { keyMaterialId: version.keyMaterialId };
      return { keyId: key.arn, kekVersion: version.keyMaterialId, plaintext, ciphertextBlob, requestId: t.requestId };
    });
  }

  encrypt(req: { keyId: string; plaintext: Buffer; encryptionContext: EncryptionContext; caller?: CallerIdentity }): Promise<WrappedKey> {
    const ctx = req.encryptionContext ?? {};
    const params = { keyId: req.keyId, ...withContext('encryptionContext', ctx), encryptionAlgorithm: SYMMETRIC_DEFAULT };
    return this.call('Encrypt', req.caller, params, (t, who) => {
      if (req.plaintext.length < 1 || req.plaintext.length > 4096) throw kmsErrors.validation('Plaintext must be from 1 to 4096 bytes');
      const { key, version } = this.usableKey(t, who, req.keyId, 'kms:Encrypt', 'Encrypt', ctx);
      const ciphertextBlob = sealBlob(version.material.exposeBytes(), { keyId: key.keyId, keyMaterialId: version.keyMaterialId }, req.plaintext, ctx);
      t.additional = { keyMaterialId: version.keyMaterialId };
      return { keyId: key.arn, kekVersion: version.keyMaterialId, ciphertextBlob, requestId: t.requestId };
    });
  }

  /** The key comes from the blob; a given KeyId must name that same key (IncorrectKeyException otherwise). */
  decrypt(req: { ciphertextBlob: Buffer; encryptionContext: EncryptionContext; keyId?: string; caller?: CallerIdentity }): Promise<UnwrappedKey> {
    const ctx = req.encryptionContext ?? {};
    // Real Decrypt events carry keyId only when the caller passed one.
    const params = { encryptionAlgorithm: SYMMETRIC_DEFAULT, ...withContext('encryptionContext', ctx), ...(req.keyId ? { keyId: req.keyId } : {}) };
    return this.call('Decrypt', req.caller, params, (t, who) => {
      const { key, version, plaintext } = this.openBlob(t, who, req.ciphertextBlob, ctx, req.keyId, 'kms:Decrypt', 'Decrypt');
      t.additional = { keyMaterialId: version.keyMaterialId };
      return { keyId: key.arn, kekVersion: version.keyMaterialId, plaintext, requestId: t.requestId };
    });
  }

  /** Decrypts under the source key and encrypts under the destination key's current material, inside the KMS. */
  reEncrypt(req: {
    ciphertextBlob: Buffer;
    sourceEncryptionContext: EncryptionContext;
    destinationKeyId: string;
    destinationEncryptionContext: EncryptionContext;
    sourceKeyId?: string;
    caller?: CallerIdentity;
  }): Promise<ReEncryptedKey> {
    const srcCtx = req.sourceEncryptionContext ?? {};
    const dstCtx = req.destinationEncryptionContext ?? {};
    const params = {
      sourceEncryptionAlgorithm: SYMMETRIC_DEFAULT,
      ...withContext('sourceEncryptionContext', srcCtx),
      ...(req.sourceKeyId ? { sourceKeyId: req.sourceKeyId } : {}),
      destinationKeyId: req.destinationKeyId,
      destinationEncryptionAlgorithm: SYMMETRIC_DEFAULT,
      ...withContext('destinationEncryptionContext', dstCtx),
    };
    return this.call('ReEncrypt', req.caller, params, (t, who) => {
      const src = this.openBlob(t, who, req.ciphertextBlob, srcCtx, req.sourceKeyId, 'kms:ReEncryptFrom', 'ReEncryptFrom');
      try {
        const dst = this.usableKey(t, who, req.destinationKeyId, 'kms:ReEncryptTo', 'ReEncryptTo', dstCtx);
        const blob = sealBlob(dst.version.material.exposeBytes(), { keyId: dst.key.keyId, keyMaterialId: dst.version.keyMaterialId }, src.plaintext, dstCtx);
        t.additional = { destinationKeyMaterialId: dst.version.keyMaterialId, sourceKeyMaterialId: src.version.keyMaterialId };
        return {
          keyId: dst.key.arn,
          kekVersion: dst.version.keyMaterialId,
          ciphertextBlob: blob,
          sourceKeyId: src.key.arn,
          sourceKekVersion: src.version.keyMaterialId,
          requestId: t.requestId,
        };
      } finally {
        src.plaintext.fill(0);
      }
    });
  }

  /** Resolve, authorize, require Enabled; the current material for new ciphertext. */
  private usableKey(t: CallTrail, who: CallerIdentity, keyId: string, action: string, grantOp: GrantOperation, ctx: EncryptionContext): { key: KeyRecord; version: KeyVersion } {
    const key = this.store.resolve(keyId);
    t.resources.push(key.arn);
    this.authorize(key, who, action, grantOp, ctx);
    this.store.requireEnabled(key);
    return { key, version: this.store.current(key) };
  }

  /** Everything Decrypt and ReEncrypt's source side check, in KMS's order. */
  private openBlob(
    t: CallTrail,
    who: CallerIdentity,
    blob: Buffer,
    ctx: EncryptionContext,
    keyIdArg: string | undefined,
    action: string,
    grantOp: GrantOperation,
  ): { key: KeyRecord; version: KeyVersion; plaintext: Buffer } {
    const header = parseBlobHeader(blob);
    if (!header) throw kmsErrors.invalidCiphertext();
    const key = this.store.keys.get(header.keyId);
    if (!key) {
      if (!this.store.deletedKeyIds.has(header.keyId)) throw kmsErrors.invalidCiphertext();
      const arn = this.store.arnOf(header.keyId);
      t.resources.push(arn);
      throw kmsErrors.keyNotFound(arn);
    }
    t.resources.push(key.arn);
    if (keyIdArg !== undefined && this.store.resolve(keyIdArg).keyId !== key.keyId) throw kmsErrors.incorrectKey();
    this.authorize(key, who, action, grantOp, ctx);
    this.store.requireEnabled(key);
    const version = key.versions.find((v) => v.keyMaterialId === header.keyMaterialId);
    const plaintext = version ? openBlob(version.material.exposeBytes(), blob, ctx) : null;
    if (!version || !plaintext) throw kmsErrors.invalidCiphertext();
    return { key, version, plaintext };
  }
}
