import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { open, readFile, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { EncryptionContextSchema } from '../../../model/encryption-context';
import { GRANT_OPERATIONS, type Grant } from './grants';
import { KeyMaterial } from './key-material';
import { KeyStore, type KeyRecord } from './key-store';
import { KeyPolicySchema } from './policy';

/**
 * The local KMS's key store on disk: one JSON file whose metadata (keys, versions,
 * aliases, policies, grants, states) is readable, and whose key material is one
 * AES-256-GCM ciphertext under a 32-byte root key from config, with all the metadata as
 * additional authenticated data, so that editing either, or using another root key, fails.
 */

export const KEY_FILE_FORMAT = 'keyscope-local-kms-keys';

/** Raised for unreadable, tampered or wrongly keyed files; messages name no secret. */
export class KeyFileError extends Error {
  override readonly name = 'KeyFileError';
}

const VersionSchema = z.object({ keyMaterialId: z.string().regex(/^[0-9a-f]{64}$/), createdAtMs: z.number() }).strict();
const KeySchema = z
  .object({
    keyId: z.string(),
    description: z.string(),
    createdAtMs: z.number(),
    state: z.enum(['Enabled', 'Disabled', 'PendingDeletion']),
    deletionDateMs: z.number().optional(),
    pendingWindowInDays: z.number().optional(),
    rotationEnabled: z.boolean(),
    rotationPeriodInDays: z.number().int().min(1),
    nextRotationMs: z.number().optional(),
    lastRotatedMs: z.number().optional(),
    currentKeyMaterialId: z.string(),
    versions: z.array(VersionSchema).min(1),
    policy: KeyPolicySchema,
  })
  .strict();
const GrantSchema = z
  .object({
    grantId: z.string(),
    grantToken: z.string(),
    keyId: z.string(),
    name: z.string().optional(),
    granteePrincipal: z.string(),
    retiringPrincipal: z.string().optional(),
    operations: z.array(z.enum(GRANT_OPERATIONS)),
    constraints: z.object({ EncryptionContextSubset: EncryptionContextSchema.optional(), EncryptionContextEquals: EncryptionContextSchema.optional() }).strict().optional(),
    issuingAccount: z.string(),
    creationDateMs: z.number(),
  })
  .strict();
const SealedSchema = z.object({ algorithm: z.literal('AES-256-GCM'), iv: z.base64(), tag: z.base64(), ciphertext: z.base64() }).strict();
const KeyFileSchema = z
  .object({
    format: z.literal(KEY_FILE_FORMAT),
    version: z.literal(1),
    accountId: z.string(),
    region: z.string(),
    savedAt: z.string(),
    keys: z.array(KeySchema),
    aliases: z.record(z.string(), z.string()),
    grants: z.array(GrantSchema),
    deletedKeyIds: z.array(z.string()),
    material: SealedSchema,
  })
  .strict();
type KeyFile = z.infer<typeof KeyFileSchema>;

/** JSON with object keys sorted at every level: the same data always gives the same AAD. */
function stableStringify(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stableStringify).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    const entries = Object.entries(v as Record<string, unknown>).filter(([, x]) => x !== undefined);
    return `{${entries
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([k, x]) => `${JSON.stringify(k)}:${stableStringify(x)}`)
      .join(',')}}`;
  }
  return JSON.stringify(v);
}

function aadOf(file: Omit<KeyFile, 'material'>): Buffer {
  return Buffer.from(stableStringify(file), 'utf8');
}

function checkRootKey(rootKey: Buffer): void {
  if (!Buffer.isBuffer(rootKey) || rootKey.length !== 32) throw new KeyFileError('the local KMS root key must be 32 bytes');
}

function keyToJson(k: KeyRecord): KeyFile['keys'][number] {
  const { versions, arn: _arn, ...rest } = k;
  return { ...rest, versions: versions.map((v) => ({ keyMaterialId: v.keyMaterialId, createdAtMs: v.createdAtMs })) };
}

export async function saveKeyFile(filePath: string, store: KeyStore, rootKey: Buffer, nowMs: number): Promise<void> {
  checkRootKey(rootKey);
  const keys = [...store.keys.values()];
  const meta: Omit<KeyFile, 'material'> = {
    format: KEY_FILE_FORMAT,
    version: 1,
    accountId: store.accountId,
    region: store.region,
    savedAt: new Date(nowMs).toISOString(),
    keys: keys.map(keyToJson),
    aliases: Object.fromEntries(store.aliases),
    grants: [...store.grants.values()],
    deletedKeyIds: [...store.deletedKeyIds],
  };
  // Material in the order the metadata lists versions; bytes only, never strings.
  const plain = Buffer.concat(keys.flatMap((k) => k.versions.map((v) => v.material.exposeBytes())));
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', rootKey, iv);
  cipher.setAAD(aadOf(meta));
  const ciphertext = Buffer.concat([cipher.update(plain), cipher.final()]);
  plain.fill(0);
  const file: KeyFile = {
    ...meta,
    material: { algorithm: 'AES-256-GCM', iv: iv.toString('base64'), tag: cipher.getAuthTag().toString('base64'), ciphertext: ciphertext.toString('base64') },
  };
  const tmp = path.join(path.dirname(filePath), `.${path.basename(filePath)}.${process.pid}.tmp`);
  const fh = await open(tmp, 'w', 0o600);
  try {
    await fh.writeFile(JSON.stringify(file, null, 2) + '\n');
    await fh.sync();
  } finally {
    await fh.close();
  }
  try {
    await rename(tmp, filePath);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}

export async function loadKeyFile(filePath: string, rootKey: Buffer): Promise<KeyStore> {
  checkRootKey(rootKey);
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(filePath, 'utf8'));
  } catch (err) {
    throw new KeyFileError(`local KMS key file ${filePath}: cannot read it as JSON (${(err as Error).message})`);
  }
  const parsed = KeyFileSchema.safeParse(raw);
  if (!parsed.success) throw new KeyFileError(`local KMS key file ${filePath}: not a key file of this version (${parsed.error.issues[0]?.path.join('.')})`);
  const { material, ...meta } = parsed.data;
  let plain: Buffer;
  try {
    const decipher = createDecipheriv('aes-256-gcm', rootKey, Buffer.from(material.iv, 'base64'));
    decipher.setAAD(aadOf(meta));
    decipher.setAuthTag(Buffer.from(material.tag, 'base64'));
    plain = Buffer.concat([decipher.update(Buffer.from(material.ciphertext, 'base64')), decipher.final()]);
  } catch {
    throw new KeyFileError(`local KMS key file ${filePath}: cannot decrypt the key material: wrong root key, or the file was modified`);
  }
  const versionCount = meta.keys.reduce((n, k) => n + k.versions.length, 0);
  if (plain.length !== versionCount * 32) throw new KeyFileError(`local KMS key file ${filePath}: key material does not match the key list`);
  const store = new KeyStore(meta.accountId, meta.region);
  let at = 0;
  for (const k of meta.keys) {
    const versions = k.versions.map((v) => {
      // Copy out, so that zeroing `plain` below leaves each key's own buffer intact.
      const bytes = Buffer.from(plain.subarray(at, (at += 32)));
      return { ...v, material: KeyMaterial.fromBytes(bytes) };
    });
    store.keys.set(k.keyId, { ...k, arn: store.arnOf(k.keyId), versions });
  }
  plain.fill(0);
  for (const [name, id] of Object.entries(meta.aliases)) store.aliases.set(name, id);
  for (const g of meta.grants) store.grants.set(g.grantId, g as Grant);
  for (const id of meta.deletedKeyIds) store.deletedKeyIds.add(id);
  return store;
}
