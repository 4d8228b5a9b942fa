import { describe, expect, it } from 'vitest';
import { ACCT, REGION, assumedRole, codeOf, makeKms } from './helpers';

const ctx = { tenant: 't-1', object: 'obj-42' };

describe('LocalKms data plane', () => {
  it('GenerateDataKey gives a 32-byte key whose blob decrypts to the same bytes, naming key ARN and material', async () => {
    const { kms } = makeKms();
    const meta = await kms.createKey({ description: 'app kek' });
    const dk = await kms.generateDataKey({ keyId: meta.KeyId, encryptionContext: ctx });
    expect(dk.plaintext).toHaveLength(32);
    expect(dk.keyId).toBe(`arn:aws:kms:${REGION}:${ACCT}:key/${meta.KeyId}`);
    expect(dk.kekVersion).toMatch(/^[0-9a-f]{64}$/);
    expect(dk.kekVersion).toBe(meta.CurrentKeyMaterialId);
    const un = await kms.decrypt({ ciphertextBlob: dk.ciphertextBlob, encryptionContext: ctx });
    expect(un.plaintext.equals(dk.plaintext)).toBe(true);
    expect(un.keyId).toBe(dk.keyId);
    expect(un.kekVersion).toBe(dk.kekVersion);
  });

  it('honours NumberOfBytes and AES_128, and rejects both together', async () => {
    const { kms } = makeKms();
    const { KeyId } = await kms.createKey();
    expect((await kms.generateDataKey({ keyId: KeyId, encryptionContext: {}, numberOfBytes: 64 })).plaintext).toHaveLength(64);
    expect((await kms.generateDataKey({ keyId: KeyId, encryptionContext: {}, keySpec: 'AES_128' })).plaintext).toHaveLength(16);
    expect(await codeOf(kms.generateDataKey({ keyId: KeyId, encryptionContext: {}, keySpec: 'AES_256', numberOfBytes: 32 }))).toBe('ValidationException');
  });

  it('Encrypt then Decrypt round-trips, and Encrypt refuses empty or oversized plaintext', async () => {
    const { kms } = makeKms();
    const { KeyId } = await kms.createKey();
    const secret = Buffer.from('a DEK to wrap, 32 bytes long....');
    const w = await kms.encrypt({ keyId: KeyId, plaintext: secret, encryptionContext: ctx });
    expect(w.ciphertextBlob.includes(secret)).toBe(false);
    const u = await kms.decrypt({ ciphertextBlob: w.ciphertextBlob, encryptionContext: ctx, keyId: KeyId });
    expect(u.plaintext.toString()).toBe(secret.toString());
    expect(await codeOf(kms.encrypt({ keyId: KeyId, plaintext: Buffer.alloc(0), encryptionContext: {} }))).toBe('ValidationException');
    expect(await codeOf(kms.encrypt({ keyId: KeyId, plaintext: Buffer.alloc(4097), encryptionContext: {} }))).toBe('ValidationException');
  });

  it('ReEncrypt moves a blob to the destination key, which then decrypts it under the new context', async () => {
    const { kms } = makeKms();
    const a = await kms.createKey();
    const b = await kms.createKey();
    const dk = await kms.generateDataKey({ keyId: a.KeyId, encryptionContext: ctx });
    const re = await kms.reEncrypt({ ciphertextBlob: dk.ciphertextBlob, sourceEncryptionContext: ctx, destinationKeyId: b.Arn, destinationEncryptionContext: { tenant: 't-2' } });
    expect(re.sourceKeyId).toBe(a.Arn);
    expect(re.sourceKekVersion).toBe(a.CurrentKeyMaterialId);
    expect(re.keyId).toBe(b.Arn);
    expect(re.kekVersion).toBe(b.CurrentKeyMaterialId);
    const u = await kms.decrypt({ ciphertextBlob: re.ciphertextBlob, encryptionContext: { tenant: 't-2' } });
    expect(u.plaintext.equals(dk.plaintext)).toBe(true);
    expect(u.keyId).toBe(b.Arn);
    expect(await codeOf(kms.decrypt({ ciphertextBlob: re.ciphertextBlob, encryptionContext: ctx }))).toBe('InvalidCiphertextException');
  });

  it('a wrong, missing or extra encryption context entry fails with InvalidCiphertextException', async () => {
    const { kms } = makeKms();
    const { KeyId } = await kms.createKey();
    const dk = await kms.generateDataKey({ keyId: KeyId, encryptionContext: ctx });
    const wrong: Array<Record<string, string>> = [{}, { tenant: 't-1' }, { ...ctx, object: 'obj-43' }, { ...ctx, extra: 'x' }, { Tenant: 't-1', object: 'obj-42' }];
    for (const bad of wrong) {
      expect(await codeOf(kms.decrypt({ ciphertextBlob: dk.ciphertextBlob, encryptionContext: bad }))).toBe('InvalidCiphertextException');
    }
  });

  it('flipping any single byte of the blob fails with InvalidCiphertextException', async () => {
    const { kms } = makeKms();
    const { KeyId } = await kms.createKey();
    const dk = await kms.generateDataKey({ keyId: KeyId, encryptionContext: ctx });
    const codes = new Set<string>();
    for (let i = 0; i < dk.ciphertextBlob.length; i++) {
      const bad = Buffer.from(dk.ciphertextBlob);
      bad[i] = bad[i]! ^ 0x01;
      codes.add(await codeOf(kms.decrypt({ ciphertextBlob: bad, encryptionContext: ctx })));
    }
    expect([...codes]).toEqual(['InvalidCiphertextException']);
    expect(await codeOf(kms.decrypt({ ciphertextBlob: dk.ciphertextBlob.subarray(0, 40), encryptionContext: ctx }))).toBe('InvalidCiphertextException');
  });

  it('Decrypt with a KeyId that names another key fails with IncorrectKeyException', async () => {
    const { kms } = makeKms();
    const a = await kms.createKey();
    const b = await kms.createKey();
    const dk = await kms.generateDataKey({ keyId: a.KeyId, encryptionContext: {} });
    expect(await codeOf(kms.decrypt({ ciphertextBlob: dk.ciphertextBlob, encryptionContext: {}, keyId: b.KeyId }))).toBe('IncorrectKeyException');
    expect((await kms.decrypt({ ciphertextBlob: dk.ciphertextBlob, encryptionContext: {}, keyId: a.Arn })).keyId).toBe(a.Arn);
  });

  it('resolves a key by id, key ARN, alias name and alias ARN; unknown names are NotFound', async () => {
    const { kms } = makeKms();
    const { KeyId, Arn } = await kms.createKey();
    await kms.createAlias({ aliasName: 'alias/payments', targetKeyId: KeyId });
    for (const ref of [KeyId, Arn, 'alias/payments', `arn:aws:kms:${REGION}:${ACCT}:alias/payments`]) {
      expect((await kms.encrypt({ keyId: ref, plaintext: Buffer.from('x'), encryptionContext: {} })).keyId).toBe(Arn);
    }
    expect(await codeOf(kms.describeKey({ keyId: 'alias/nope' }))).toBe('NotFoundException');
    expect(await codeOf(kms.describeKey({ keyId: '00000000-0000-4000-8000-000000000000' }))).toBe('NotFoundException');
    expect(await codeOf(kms.describeKey({ keyId: `arn:aws:kms:eu-west-1:${ACCT}:key/${KeyId}` }))).toBe('NotFoundException');
  });

  it('CreateAlias/UpdateAlias/DeleteAlias retarget and remove names; duplicates and reserved names are refused', async () => {
    const { kms } = makeKms();
    const a = await kms.createKey();
    const b = await kms.createKey();
    await kms.createAlias({ aliasName: 'alias/app', targetKeyId: a.KeyId });
    expect(await codeOf(kms.createAlias({ aliasName: 'alias/app', targetKeyId: b.KeyId }))).toBe('AlreadyExistsException');
    expect(await codeOf(kms.createAlias({ aliasName: 'alias/aws/s3', targetKeyId: b.KeyId }))).toBe('ValidationException');
    await kms.updateAlias({ aliasName: 'alias/app', targetKeyId: b.KeyId });
    expect((await kms.describeKey({ keyId: 'alias/app' })).KeyId).toBe(b.KeyId);
    expect(await kms.listAliases({ keyId: b.KeyId })).toEqual([{ AliasName: 'alias/app', AliasArn: `arn:aws:kms:${REGION}:${ACCT}:alias/app`, TargetKeyId: b.KeyId }]);
    await kms.deleteAlias({ aliasName: 'alias/app' });
    expect(await codeOf(kms.describeKey({ keyId: 'alias/app' }))).toBe('NotFoundException');
  });

  it('is deterministic for a seed: same key ids, material ids and request ids', async () => {
    const run = async (seed: number) => {
      const { kms, records } = makeKms({}, seed);
      const k = await kms.createKey();
      await kms.generateDataKey({ keyId: k.KeyId, encryptionContext: ctx, caller: assumedRole('app') });
      return { keyId: k.KeyId, material: k.CurrentKeyMaterialId, ids: records.map((r) => [r.requestID, r.eventID]) };
    };
    const a = await run(11);
    expect(await run(11)).toEqual(a);
    expect((await run(12)).keyId).not.toBe(a.keyId);
  });
});
