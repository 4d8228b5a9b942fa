import { describe, expect, it } from 'vitest';
import type { AuditEvent } from '../../lib/model/audit-event';
import type { CallerIdentity } from '../../lib/engine/kek/provider';
import type { KmsCloudTrailRecord } from '../../lib/engine/audit/cloudtrail-record';
import { kmsEventInfo } from '../../lib/model/normalize-cloudtrail';
import { ACCT, OTHER_ACCT, assumedRole, iamUser, makeKms } from '../engine/local-kms/helpers';
import { accept } from '../support/normalize-helpers';

const DAY_MS = 86_400_000;
const ctx = { tenant: 'acme', purpose: 'orders' };
const s3: CallerIdentity = {
  type: 'AWSService',
  arn: 's3.amazonaws.com',
  accountId: ACCT,
  principalId: 's3.amazonaws.com',
  invokedBy: 's3.amazonaws.com',
  sourceIp: 's3.amazonaws.com',
  userAgent: 's3.amazonaws.com',
};

/** Drives the local KMS through its operations and collects the trail it writes through its audit callback. */
async function trail() {
  const { kms, clock, records } = makeKms({ defaultCaller: iamUser('admin') });
  const key = await kms.createKey({
    description: 'orders',
    policy: {
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCT}:root` }, Action: 'kms:*', Resource: '*' },
        { Effect: 'Allow', Principal: { Service: 's3.amazonaws.com' }, Action: 'kms:Decrypt', Resource: '*' },
      ],
    },
  });
  const other = await kms.createKey({ description: 'archive' });
  await kms.createAlias({ aliasName: 'alias/orders', targetKeyId: key.KeyId });
  const dk = await kms.generateDataKey({ keyId: 'alias/orders', encryptionContext: ctx, caller: assumedRole('app') });
  await kms.decrypt({ ciphertextBlob: dk.ciphertextBlob, encryptionContext: ctx, caller: assumedRole('app') });
  await kms.decrypt({ ciphertextBlob: dk.ciphertextBlob, encryptionContext: ctx, caller: s3 });
  await expect(kms.decrypt({ ciphertextBlob: dk.ciphertextBlob, encryptionContext: ctx, caller: assumedRole('partner', 'p-1', OTHER_ACCT) })).rejects.toMatchObject({ code: 'AccessDeniedException' });
  await expect(kms.decrypt({ ciphertextBlob: dk.ciphertextBlob, encryptionContext: {}, caller: assumedRole('app') })).rejects.toMatchObject({ code: 'InvalidCiphertextException' });
  const oldVersion = dk.kekVersion!;
  const newVersion = await kms.rotate(key.KeyId);
  const re = await kms.reEncrypt({ ciphertextBlob: dk.ciphertextBlob, sourceEncryptionContext: ctx, destinationKeyId: other.Arn, destinationEncryptionContext: { tenant: 'acme' } });
  await kms.enableKeyRotation({ keyId: other.KeyId, rotationPeriodInDays: 90 });
  await kms.disableKey({ keyId: key.KeyId });
  await expect(kms.generateDataKey({ keyId: key.KeyId, encryptionContext: ctx })).rejects.toMatchObject({ code: 'DisabledException' });
  await kms.enableKey({ keyId: key.KeyId });
  const g = await kms.createGrant({ keyId: key.KeyId, granteePrincipal: assumedRole('batch').roleArn!, operations: ['Decrypt'] });
  await kms.revokeGrant({ keyId: key.KeyId, grantId: g.GrantId });
  await kms.scheduleKeyDeletion({ keyId: key.KeyId, pendingWindowInDays: 7 });
  clock.advance(91 * DAY_MS); // other's automatic rotation, and the end of key's deletion window
  kms.setFaults({ throttle: { probability: 1 } });
  await expect(kms.encrypt({ keyId: other.KeyId, plaintext: Buffer.from('x'), encryptionContext: {} })).rejects.toMatchObject({ code: 'ThrottlingException' });
  return { records, key, other, oldVersion, newVersion, reVersion: re.kekVersion! };
}

function find(events: AuditEvent[], name: string, pred: (e: AuditEvent) => boolean = () => true): AuditEvent {
  const e = events.find((x) => x.eventName === name && pred(x));
  if (!e) throw new Error(`no ${name} event`);
  return e;
}

describe('records written by the local KMS', () => {
  it('every record is accepted, as emitted and as read back from a trail file', async () => {
    const { records } = await trail();
    expect(records.length).toBeGreaterThan(15);
    for (const r of records) {
      const direct = accept(r);
      expect(direct.raw).toBe(r);
      const fromFile = accept(JSON.parse(JSON.stringify(r)) as KmsCloudTrailRecord);
      expect({ ...fromFile, raw: null }).toEqual({ ...direct, raw: null });
      expect(direct.management).toBe(kmsEventInfo(r.eventName).management);
    }
  });

  it('data plane: key from resources, the KEK version, the context and the role', async () => {
    const { records, key, oldVersion } = await trail();
    const events = records.map(accept);
    const gdk = find(events, 'GenerateDataKey');
    expect(gdk).toMatchObject({ keyArn: key.Arn, keyId: key.KeyId, keyMaterialId: oldVersion, encryptionContext: ctx, management: false, outcome: 'success', crossAccount: false });
    expect(gdk.principal).toMatchObject({ type: 'AssumedRole', roleArn: `arn:aws:iam::${ACCT}:role/app` });
    const dec = find(events, 'Decrypt');
    expect(dec).toMatchObject({ keyArn: key.Arn, keyMaterialId: oldVersion });
    const viaS3 = find(events, 'Decrypt', (e) => e.principal.type === 'AWSService');
    expect(viaS3).toMatchObject({ sourceIp: 's3.amazonaws.com', principal: { invokedBy: 's3.amazonaws.com', accountId: null }, crossAccount: false });
  });

  it('failures: cross-account denial, a wrong context, a disabled key, throttling', async () => {
    const { records, key } = await trail();
    const failures = records.map(accept).filter((e) => e.outcome === 'failure');
    expect(failures.map((e) => `${e.eventName}:${e.errorCode}`)).toEqual([
      'Decrypt:AccessDeniedException',
      'Decrypt:InvalidCiphertextException',
      'GenerateDataKey:DisabledException',
      'Encrypt:ThrottlingException',
    ]);
    expect(failures[0]).toMatchObject({ crossAccount: true, keyArn: key.Arn, principal: { accountId: OTHER_ACCT }, keyMaterialId: null });
    expect(failures.every((e) => e.errorMessage)).toBe(true);
  });

  it('rotation on demand: the API call, then the RotateKey event with the new and previous versions', async () => {
    const { records, key, oldVersion, newVersion } = await trail();
    const events = records.map(accept);
    const call = find(events, 'RotateKeyOnDemand');
    expect(call).toMatchObject({ keyArn: key.Arn, keyMaterialId: null, management: true, principal: { type: 'IAMUser' } });
    const rotate = find(events, 'RotateKey', (e) => e.keyArn === key.Arn);
    expect(rotate).toMatchObject({ keyMaterialId: newVersion, previousKeyMaterialId: oldVersion, eventType: 'AwsServiceEvent', principal: { type: 'AWSService', invokedBy: 'AWS Internal' } });
    expect((rotate.raw as { serviceEventDetails: { rotationType: string } }).serviceEventDetails.rotationType).toBe('ON_DEMAND');
  });

  it('automatic rotation and the end of a deletion window arrive as service events', async () => {
    const { records, key, other } = await trail();
    const events = records.map(accept);
    const auto = find(events, 'RotateKey', (e) => e.keyArn === other.Arn);
    expect((auto.raw as { serviceEventDetails: { rotationType: string } }).serviceEventDetails.rotationType).toBe('AUTOMATIC');
    expect(auto.keyMaterialId).not.toBe(auto.previousKeyMaterialId);
    expect(find(events, 'DeleteKey')).toMatchObject({ keyArn: key.Arn, management: true, principal: { type: 'AWSService' }, requestId: null });
  });

  it('ReEncrypt: the destination key and version, with the source side kept', async () => {
    const { records, key, other, oldVersion, reVersion } = await trail();
    const re = find(records.map(accept), 'ReEncrypt');
    expect(re).toMatchObject({ keyArn: other.Arn, keyMaterialId: reVersion, encryptionContext: { tenant: 'acme' } });
    // The data key was wrapped before the rotation, so its source side is the old version.
    expect(re.reEncryptSource).toEqual({ keyArn: key.Arn, keyId: key.KeyId, keyMaterialId: oldVersion, encryptionContext: ctx });
  });
});
