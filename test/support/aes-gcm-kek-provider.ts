import { createCipheriv, createDecipheriv, randomBytes, randomUUID } from 'node:crypto';
import { KmsError } from '../../lib/engine/errors';
import type { CallerIdentity, DataKey, KekProvider, ReEncryptedKey, UnwrappedKey, WrappedKey } from '../../lib/engine/kek/provider';
import type { EncryptionContext } from '../../lib/model/encryption-context';

interface TestKey {
  arn: string;
  enabled: boolean;
  /** Key material versions, newest last; each wraps with its own 256-bit secret. */
  versions: Array<{ id: string; secret: Buffer }>;
  /** Caller ARNs refused with AccessDeniedException. */
  denied: Set<string>;
}

const BLOB_MAGIC = 0x4b; // 'K'

/**
 * A small KEK provider that really encrypts (AES-256-GCM, encryption context as AAD), for
 * tests that need a key manager behind the KMS wire server before (or instead of) the
 * LocalKms. Blob: magic | arn length u16 | arn | version length u8 | version | iv 12 | tag 16 | ct.
 */
export class AesGcmKekProvider implements KekProvider {
  readonly kind = 'local' as const;
  private readonly keys = new Map<string, TestKey>();

  constructor(
    private readonly region = 'us-east-1',
    private readonly accountId = '111122223333',
  ) {}

  createKey(): string {
    const arn = `arn:aws:kms:${this.region}:${this.accountId}:key/${randomUUID()}`;
    this.keys.set(arn, { arn, enabled: true, versions: [newVersion()], denied: new Set() });
    return arn;
  }

  rotate(keyId: string): string {
    const v = newVersion();
    this.key(keyId).versions.push(v);
    return v.id;
  }

  setEnabled(keyId: string, enabled: boolean): void {
    this.key(keyId).enabled = enabled;
  }

  deny(keyId: string, callerArn: string): void {
    this.key(keyId).denied.add(callerArn);
  }

  async generateDataKey(req: { keyId: string; encryptionContext: EncryptionContext; caller?: CallerIdentity }): Promise<DataKey> {
    const plaintext = randomBytes(32);
    const wrapped = await this.encrypt({ ...req, plaintext });
    const version = this.key(wrapped.keyId).versions.at(-1)!;
    return { keyId: wrapped.keyId, kekVersion: version.id, plaintext, ciphertextBlob: wrapped.ciphertextBlob, requestId: null };
  }

  async encrypt(req: { keyId: string; plaintext: Buffer; encryptionContext: EncryptionContext; caller?: CallerIdentity }): Promise<WrappedKey> {
    const key = this.usable(req.keyId, req.caller);
    const version = key.versions.at(-1)!;
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', version.secret, iv);
    cipher.setAAD(aad(key.arn, req.encryptionContext));
    const ct = Buffer.concat([cipher.update(req.plaintext), cipher.final()]);
    const arn = Buffer.from(key.arn);
    const vid = Buffer.from(version.id);
    const head = Buffer.alloc(4);
    head.writeUInt8(BLOB_MAGIC, 0);
    head.writeUInt16BE(arn.length, 1);
    head.writeUInt8(vid.length, 3);
    const blob = Buffer.concat([head.subarray(0, 3), arn, head.subarray(3, 4), vid, iv, cipher.getAuthTag(), ct]);
    // Encrypt in AWS KMS does not report the key material id; mirror that.
    return { keyId: key.arn, kekVersion: null, ciphertextBlob: blob, requestId: null };
  }

  async decrypt(req: { ciphertextBlob: Buffer; encryptionContext: EncryptionContext; keyId?: string; caller?: CallerIdentity }): Promise<UnwrappedKey> {
    const parsed = parseBlob(req.ciphertextBlob);
    if (req.keyId !== undefined && this.resolve(req.keyId) !== parsed.arn) {
      throw new KmsError('IncorrectKeyException', 'The key ID in the request does not identify the key that encrypted the ciphertext.');
    }
    const key = this.usable(parsed.arn, req.caller);
    const version = key.versions.find((v) => v.id === parsed.versionId);
    if (!version) throw new KmsError('InvalidCiphertextException', 'Ciphertext refers to unknown key material');
    try {
      const decipher = createDecipheriv('aes-256-gcm', version.secret, parsed.iv);
      decipher.setAAD(aad(key.arn, req.encryptionContext));
      decipher.setAuthTag(parsed.tag);
      const plaintext = Buffer.concat([decipher.update(parsed.ct), decipher.final()]);
      return { keyId: key.arn, kekVersion: version.id, plaintext, requestId: null };
    } catch {
      throw new KmsError('InvalidCiphertextException', 'Ciphertext or encryption context is invalid');
    }
  }

  async reEncrypt(req: {
    ciphertextBlob: Buffer;
    sourceEncryptionContext: EncryptionContext;
    destinationKeyId: string;
    destinationEncryptionContext: EncryptionContext;
    caller?: CallerIdentity;
  }): Promise<ReEncryptedKey> {
    const src = await this.decrypt({ ciphertextBlob: req.ciphertextBlob, encryptionContext: req.sourceEncryptionContext, caller: req.caller });
    try {
      const dst = await this.encrypt({
        keyId: req.destinationKeyId,
        plaintext: src.plaintext,
        encryptionContext: req.destinationEncryptionContext,
        caller: req.caller,
      });
      const dstVersion = this.key(dst.keyId).versions.at(-1)!.id;
      return { ...dst, kekVersion: dstVersion, sourceKeyId: src.keyId, sourceKekVersion: src.kekVersion };
    } finally {
      src.plaintext.fill(0);
    }
  }

  private resolve(keyId: string): string {
    if (this.keys.has(keyId)) return keyId;
    for (const arn of this.keys.keys()) if (arn.endsWith(`:key/${keyId}`)) return arn;
    throw new KmsError('NotFoundException', `Key '${keyId}' does not exist`);
  }

  private key(keyId: string): TestKey {
    return this.keys.get(this.resolve(keyId))!;
  }

  private usable(keyId: string, caller?: CallerIdentity): TestKey {
    const key = this.key(keyId);
    if (caller && key.denied.has(caller.arn)) {
      throw new KmsError('AccessDeniedException', `User: ${caller.arn} is not authorized to perform this operation on resource: ${key.arn}`);
    }
    if (!key.enabled) throw new KmsError('DisabledException', `${key.arn} is disabled.`);
    return key;
  }
}

function newVersion(): { id: string; secret: Buffer } {
  return { id: randomBytes(32).toString('hex'), secret: randomBytes(32) };
}

/** Canonical AAD: the key ARN and the context sorted by key, so pair order does not matter. */
function aad(arn: string, ec: EncryptionContext): Buffer {
  const pairs = Object.keys(ec)
    .sort()
    .map((k) => [k, ec[k]]);
  return Buffer.from(JSON.stringify([arn, pairs]));
}

function parseBlob(blob: Buffer): { arn: string; versionId: string; iv: Buffer; tag: Buffer; ct: Buffer } {
  const bad = () => new KmsError('InvalidCiphertextException', 'Ciphertext is malformed');
  if (blob.length < 4 || blob.readUInt8(0) !== BLOB_MAGIC) throw bad();
  const arnLen = blob.readUInt16BE(1);
  let at = 3;
  const arn = blob.subarray(at, (at += arnLen)).toString();
  if (at >= blob.length) throw bad();
  const vLen = blob.readUInt8(at);
  at += 1;
  const versionId = blob.subarray(at, (at += vLen)).toString();
  const iv = blob.subarray(at, (at += 12));
  const tag = blob.subarray(at, (at += 16));
  if (tag.length !== 16) throw bad();
  return { arn, versionId, iv, tag, ct: blob.subarray(at) };
}
