import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { inspect } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SimulatedClock } from '../../../lib/engine/clock';
import { SeededRandom } from '../../../lib/engine/random';
import { KeyFileError, loadKeyFile } from '../../../lib/engine/kek/local-kms/key-file';
import { KeyMaterial } from '../../../lib/engine/kek/local-kms/key-material';
import type { KeyStore } from '../../../lib/engine/kek/local-kms/key-store';
import { LocalKms } from '../../../lib/engine/kek/local-kms/local-kms';
import { T0, assumedRole, codeOf, makeKms } from './helpers';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'keyscope-keyfile-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const rootKey = randomBytes(32);
const ctx = { tenant: 'acme' };

/** A store with two keys (one rotated, one disabled), an alias, a custom policy and a grant. */
async function populated() {
  const env = makeKms();
  const { kms } = env;
  const a = await kms.createKey({ description: 'a' });
  const b = await kms.createKey({ description: 'b' });
  await kms.createAlias({ aliasName: 'alias/a', targetKeyId: a.KeyId });
  const oldBlob = (await kms.generateDataKey({ keyId: a.KeyId, encryptionContext: ctx })).ciphertextBlob;
  await kms.rotate(a.KeyId);
  await kms.enableKeyRotation({ keyId: a.KeyId, rotationPeriodInDays: 180 });
  const newDk = await kms.generateDataKey({ keyId: 'alias/a', encryptionContext: ctx });
  const analyst = assumedRole('analyst', 's', '999988887777');
  await kms.createGrant({ keyId: a.KeyId, granteePrincipal: analyst.roleArn!, operations: ['Decrypt'] });
  await kms.disableKey({ keyId: b.KeyId });
  return { ...env, a, b, oldBlob, newDk, analyst };
}

describe('local KMS key file', () => {
  it('round-trips keys, versions, aliases, states, rotation settings, policies and grants', async () => {
    const { kms, a, b, oldBlob, newDk, analyst } = await populated();
    const file = path.join(dir, 'keys.json');
    await kms.save(file, rootKey);
    const loaded = await LocalKms.load(file, rootKey, { clock: new SimulatedClock(T0), random: new SeededRandom(1) });
    expect(loaded.accountId).toBe(kms.accountId);
    expect((await loaded.decrypt({ ciphertextBlob: oldBlob, encryptionContext: ctx })).kekVersion).toBe(a.CurrentKeyMaterialId);
    const u = await loaded.decrypt({ ciphertextBlob: newDk.ciphertextBlob, encryptionContext: ctx, caller: analyst }); // via the grant
    expect(u.plaintext.equals(newDk.plaintext)).toBe(true);
    expect((await loaded.describeKey({ keyId: 'alias/a' })).CurrentKeyMaterialId).toBe(newDk.kekVersion);
    expect((await loaded.describeKey({ keyId: b.KeyId })).KeyState).toBe('Disabled');
    expect(await loaded.getKeyRotationStatus({ keyId: a.KeyId })).toMatchObject({ KeyRotationEnabled: true, RotationPeriodInDays: 180 });
    expect(await loaded.getKeyPolicy({ keyId: a.KeyId })).toEqual(await kms.getKeyPolicy({ keyId: a.KeyId }));
    expect(await loaded.listGrants({ keyId: a.KeyId })).toEqual(await kms.listGrants({ keyId: a.KeyId }));
    // Nothing but the final file is left behind.
    expect(await readdir(dir)).toEqual(['keys.json']);
  });

  it('contains none of the key material: not raw, not hex, not base64', async () => {
    const { kms } = await populated();
    const file = path.join(dir, 'keys.json');
    await kms.save(file, rootKey);
    const raw = await readFile(file);
    const text = raw.toString('utf8');
    // The live store's material, read independently of the file.
    const live = (kms as unknown as { store: KeyStore }).store;
    const materials = [...live.keys.values()].flatMap((k) => k.versions.map((v) => v.material.exposeBytes()));
    expect(materials).toHaveLength(3);
    const loaded = await loadKeyFile(file, rootKey);
    expect([...loaded.keys.values()].flatMap((k) => k.versions.map((v) => v.material.exposeBytes()))).toEqual(materials);
    for (const m of materials) {
      expect(raw.includes(m)).toBe(false);
      expect(text.toLowerCase()).not.toContain(m.toString('hex'));
      expect(text).not.toContain(m.toString('base64'));
      expect(text).not.toContain(m.toString('base64url'));
      // Partial leaks too: no 12-byte window of the material in any encoding.
      expect(text).not.toContain(m.subarray(0, 12).toString('base64'));
    }
    expect(text).toContain('"format": "keyscope-local-kms-keys"');
  });

  it('a wrong root key fails clearly without naming any secret', async () => {
    const { kms } = await populated();
    const file = path.join(dir, 'keys.json');
    await kms.save(file, rootKey);
    const wrong = randomBytes(32);
    const err = await loadKeyFile(file, wrong).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KeyFileError);
    const msg = (err as Error).message;
    expect(msg).toMatch(/wrong root key/);
    for (const secret of [wrong, rootKey]) {
      expect(msg).not.toContain(secret.toString('hex'));
      expect(msg).not.toContain(secret.toString('base64'));
    }
    await expect(loadKeyFile(file, Buffer.alloc(16))).rejects.toThrow(/32 bytes/);
  });

  it('tampered metadata fails authentication (the metadata is AAD)', async () => {
    const { kms, b } = await populated();
    const file = path.join(dir, 'keys.json');
    await kms.save(file, rootKey);
    const doc = JSON.parse(await readFile(file, 'utf8'));
    const key = doc.keys.find((k: { keyId: string }) => k.keyId === b.KeyId);
    key.state = 'Enabled';
    await writeFile(file, JSON.stringify(doc));
    await expect(loadKeyFile(file, rootKey)).rejects.toThrow(KeyFileError);
  });

  it('key material and the key store never print their bytes', async () => {
    const m = KeyMaterial.generate();
    const hex = m.exposeBytes().toString('hex');
    for (const shown of [inspect(m), JSON.stringify({ m }), String(m), inspect({ nested: { m } }, { depth: 10 })]) {
      expect(shown).not.toContain(hex);
      expect(shown).toContain('redacted');
    }
    const { kms } = await populated();
    const file = path.join(dir, 'keys.json');
    await kms.save(file, rootKey);
    const store = await loadKeyFile(file, rootKey);
    const shownStore = inspect(store, { depth: 20 }) + JSON.stringify(store) + inspect(kms, { depth: 20 });
    for (const k of store.keys.values()) for (const v of k.versions) expect(shownStore).not.toContain(v.material.exposeBytes().toString('hex'));
    expect(shownStore).not.toContain('exposeBytes');
  });

  it('the loaded KMS keeps failing as before for a deleted key', async () => {
    const env = makeKms();
    const { KeyId } = await env.kms.createKey();
    const blob = (await env.kms.generateDataKey({ keyId: KeyId, encryptionContext: {} })).ciphertextBlob;
    await env.kms.scheduleKeyDeletion({ keyId: KeyId, pendingWindowInDays: 7 });
    env.clock.advance(8 * 86_400_000);
    await env.kms.processScheduled();
    const file = path.join(dir, 'keys.json');
    await env.kms.save(file, rootKey);
    const loaded = await LocalKms.load(file, rootKey, { clock: env.clock, random: new SeededRandom(2) });
    expect(await codeOf(loaded.decrypt({ ciphertextBlob: blob, encryptionContext: {} }))).toBe('NotFoundException');
  });
});
