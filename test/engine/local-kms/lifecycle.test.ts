import { describe, expect, it } from 'vitest';
import { codeOf, errorOf, makeKms } from './helpers';

const DAY = 86_400_000;
const ctx = { app: 'billing' };

describe('LocalKms key lifecycle', () => {
  it('rotation: new data uses the new key material; data under the old material still decrypts', async () => {
    const { kms } = makeKms();
    const { KeyId, CurrentKeyMaterialId: v1 } = await kms.createKey();
    const before = await kms.generateDataKey({ keyId: KeyId, encryptionContext: ctx });
    const v2 = await kms.rotate(KeyId);
    expect(v2).toMatch(/^[0-9a-f]{64}$/);
    expect(v2).not.toBe(v1);
    expect((await kms.describeKey({ keyId: KeyId })).CurrentKeyMaterialId).toBe(v2);

    const after = await kms.generateDataKey({ keyId: KeyId, encryptionContext: ctx });
    expect(after.kekVersion).toBe(v2);
    const old = await kms.decrypt({ ciphertextBlob: before.ciphertextBlob, encryptionContext: ctx });
    expect(old.kekVersion).toBe(v1);
    expect(old.plaintext.equals(before.plaintext)).toBe(true);

    // ReEncrypt to the same key moves old data onto the current material (a rewrap).
    const re = await kms.reEncrypt({ ciphertextBlob: before.ciphertextBlob, sourceEncryptionContext: ctx, destinationKeyId: KeyId, destinationEncryptionContext: ctx });
    expect(re.sourceKekVersion).toBe(v1);
    expect(re.kekVersion).toBe(v2);
  });

  it('on-demand rotation writes RotateKeyOnDemand and a RotateKey service event with both material ids', async () => {
    const { kms, records } = makeKms();
    const { KeyId, CurrentKeyMaterialId: v1 } = await kms.createKey();
    const v2 = await kms.rotate(KeyId);
    const names = records.map((r) => r.eventName);
    expect(names.slice(-2)).toEqual(['RotateKeyOnDemand', 'RotateKey']);
    const svc = records.at(-1)!;
    expect(svc.eventType).toBe('AwsServiceEvent');
    expect(svc.serviceEventDetails).toEqual({ rotationType: 'ON_DEMAND', keyOrigin: 'AWS_KMS', previousKeyMaterialId: v1, currentKeyMaterialId: v2 });
  });

  it('automatic rotation happens when the period has passed on the clock, once per period', async () => {
    const { kms, clock, records } = makeKms();
    const { KeyId } = await kms.createKey();
    await kms.enableKeyRotation({ keyId: KeyId, rotationPeriodInDays: 90 });
    const status = await kms.getKeyRotationStatus({ keyId: KeyId });
    expect(status).toMatchObject({ KeyRotationEnabled: true, RotationPeriodInDays: 90 });
    clock.advance(89 * DAY);
    await kms.describeKey({ keyId: KeyId });
    expect(records.filter((r) => r.eventName === 'RotateKey')).toHaveLength(0);
    clock.advance(2 * DAY + 180 * DAY); // 271 days after enabling: three periods
    await kms.describeKey({ keyId: KeyId });
    const rotations = records.filter((r) => r.eventName === 'RotateKey');
    expect(rotations.map((r) => r.serviceEventDetails?.rotationType)).toEqual(['AUTOMATIC', 'AUTOMATIC', 'AUTOMATIC']);
    await kms.disableKeyRotation({ keyId: KeyId });
    clock.advance(400 * DAY);
    await kms.describeKey({ keyId: KeyId });
    expect(records.filter((r) => r.eventName === 'RotateKey')).toHaveLength(3);
    expect(await codeOf(kms.enableKeyRotation({ keyId: KeyId, rotationPeriodInDays: 30 }))).toBe('ValidationException');
  });

  it('a disabled key refuses data-plane calls with DisabledException until enabled again', async () => {
    const { kms } = makeKms();
    const { KeyId, Arn } = await kms.createKey();
    const dk = await kms.generateDataKey({ keyId: KeyId, encryptionContext: ctx });
    await kms.disableKey({ keyId: KeyId });
    expect((await kms.describeKey({ keyId: KeyId })).KeyState).toBe('Disabled');
    const err = await errorOf(kms.decrypt({ ciphertextBlob: dk.ciphertextBlob, encryptionContext: ctx }));
    expect(err.code).toBe('DisabledException');
    expect(err.message).toBe(`${Arn} is disabled.`);
    expect(await codeOf(kms.generateDataKey({ keyId: KeyId, encryptionContext: ctx }))).toBe('DisabledException');
    expect(await codeOf(kms.rotate(KeyId))).toBe('DisabledException');
    await kms.enableKey({ keyId: KeyId });
    expect((await kms.decrypt({ ciphertextBlob: dk.ciphertextBlob, encryptionContext: ctx })).plaintext.equals(dk.plaintext)).toBe(true);
  });

  it('pending deletion: KMSInvalidStateException on use; cancel leaves the key disabled', async () => {
    const { kms, clock } = makeKms();
    const { KeyId } = await kms.createKey();
    const dk = await kms.generateDataKey({ keyId: KeyId, encryptionContext: ctx });
    const sched = await kms.scheduleKeyDeletion({ keyId: KeyId, pendingWindowInDays: 7 });
    expect(sched.KeyState).toBe('PendingDeletion');
    expect(sched.DeletionDate.getTime()).toBe(clock.now() + 7 * DAY);
    expect(await codeOf(kms.decrypt({ ciphertextBlob: dk.ciphertextBlob, encryptionContext: ctx }))).toBe('KMSInvalidStateException');
    expect(await codeOf(kms.enableKey({ keyId: KeyId }))).toBe('KMSInvalidStateException');
    expect(await codeOf(kms.scheduleKeyDeletion({ keyId: KeyId }))).toBe('KMSInvalidStateException');
    await kms.cancelKeyDeletion({ keyId: KeyId });
    expect((await kms.describeKey({ keyId: KeyId })).KeyState).toBe('Disabled');
    expect(await codeOf(kms.cancelKeyDeletion({ keyId: KeyId }))).toBe('KMSInvalidStateException');
    expect(await codeOf(kms.scheduleKeyDeletion({ keyId: KeyId, pendingWindowInDays: 3 }))).toBe('ValidationException');
  });

  it('after the waiting period the key is deleted: DeleteKey service event, NotFound, alias gone', async () => {
    const { kms, clock, records } = makeKms();
    const { KeyId, Arn } = await kms.createKey();
    await kms.createAlias({ aliasName: 'alias/doomed', targetKeyId: KeyId });
    const dk = await kms.generateDataKey({ keyId: KeyId, encryptionContext: ctx });
    await kms.scheduleKeyDeletion({ keyId: KeyId, pendingWindowInDays: 7 });
    clock.advance(7 * DAY - 1);
    expect((await kms.describeKey({ keyId: KeyId })).KeyState).toBe('PendingDeletion');
    clock.advance(1);
    expect(await codeOf(kms.describeKey({ keyId: KeyId }))).toBe('NotFoundException');
    const del = records.find((r) => r.eventName === 'DeleteKey')!;
    expect(del.eventType).toBe('AwsServiceEvent');
    expect(del.resources[0]!.ARN).toBe(Arn);
    expect(await codeOf(kms.describeKey({ keyId: 'alias/doomed' }))).toBe('NotFoundException');
    expect(await codeOf(kms.decrypt({ ciphertextBlob: dk.ciphertextBlob, encryptionContext: ctx }))).toBe('NotFoundException');
  });

  it('DescribeKey reports metadata in the API shape', async () => {
    const { kms } = makeKms();
    const m = await kms.createKey({ description: 'orders' });
    expect(m).toMatchObject({ Description: 'orders', Enabled: true, KeyState: 'Enabled', KeyUsage: 'ENCRYPT_DECRYPT', KeySpec: 'SYMMETRIC_DEFAULT', Origin: 'AWS_KMS' });
    expect(m.KeyId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(m.Arn).toBe(`arn:aws:kms:us-west-2:111122223333:key/${m.KeyId}`);
  });
});
