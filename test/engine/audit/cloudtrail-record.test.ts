import { describe, expect, it } from 'vitest';
import { CloudTrailRecordSchema } from '../../../lib/model/cloudtrail-record';
import { formatEventTime, formatKmsDate, type KmsCloudTrailRecord } from '../../../lib/engine/audit/cloudtrail-record';
import type { CallerIdentity } from '../../../lib/engine/kek/provider';
import { ACCT, OTHER_ACCT, REGION, assumedRole, iamUser, makeKms } from '../local-kms/helpers';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const EVENT_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

const s3: CallerIdentity = {
  type: 'AWSService',
  arn: 's3.amazonaws.com',
  accountId: ACCT,
  principalId: 's3.amazonaws.com',
  invokedBy: 's3.amazonaws.com',
  sourceIp: 's3.amazonaws.com',
  userAgent: 's3.amazonaws.com',
};
const viaService: CallerIdentity = { ...assumedRole('etl'), invokedBy: 'AWS Internal', sourceIp: 'AWS Internal', userAgent: 'AWS Internal' };
const ctx = { tenant: 'acme' };

/** Every operation, with successes and failures, from several kinds of caller. */
async function session(): Promise<{ records: KmsCloudTrailRecord[]; keyArn: string; otherArn: string; kekVersion: string }> {
  const { kms, clock, records } = makeKms({ defaultCaller: iamUser('admin') });
  const key = await kms.createKey({
    description: 'trail',
    policy: {
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCT}:root` }, Action: 'kms:*', Resource: '*' },
        { Effect: 'Allow', Principal: { Service: 's3.amazonaws.com' }, Action: 'kms:Decrypt', Resource: '*' },
      ],
    },
  });
  const other = await kms.createKey();
  await kms.createAlias({ aliasName: 'alias/trail', targetKeyId: key.KeyId });
  await kms.describeKey({ keyId: 'alias/trail' });
  const dk = await kms.generateDataKey({ keyId: key.KeyId, encryptionContext: ctx, caller: assumedRole('app') });
  clock.advance(1234);
  await kms.decrypt({ ciphertextBlob: dk.ciphertextBlob, encryptionContext: ctx, caller: assumedRole('app') });
  await kms.decrypt({ ciphertextBlob: dk.ciphertextBlob, encryptionContext: ctx, caller: s3 });
  await kms.decrypt({ ciphertextBlob: dk.ciphertextBlob, encryptionContext: ctx, caller: viaService });
  await expect(kms.decrypt({ ciphertextBlob: dk.ciphertextBlob, encryptionContext: ctx, caller: assumedRole('x', 's', OTHER_ACCT) })).rejects.toMatchObject({ code: 'AccessDeniedException' });
  await expect(kms.decrypt({ ciphertextBlob: dk.ciphertextBlob, encryptionContext: {} })).rejects.toMatchObject({ code: 'InvalidCiphertextException' });
  await kms.encrypt({ keyId: 'alias/trail', plaintext: Buffer.from('p'), encryptionContext: {} });
  await kms.reEncrypt({ ciphertextBlob: dk.ciphertextBlob, sourceEncryptionContext: ctx, destinationKeyId: other.KeyId, destinationEncryptionContext: ctx });
  const g = await kms.createGrant({ keyId: key.KeyId, granteePrincipal: assumedRole('b').roleArn!, operations: ['Decrypt'], constraints: { EncryptionContextSubset: ctx } });
  await kms.listGrants({ keyId: key.KeyId });
  await kms.retireGrant({ keyId: key.KeyId, grantId: g.GrantId, caller: assumedRole('b') }); // policies cannot allow RetireGrant; grants do
  await kms.enableKeyRotation({ keyId: key.KeyId });
  await kms.rotate(key.KeyId);
  await kms.disableKey({ keyId: other.KeyId });
  await expect(kms.generateDataKey({ keyId: other.KeyId, encryptionContext: {} })).rejects.toMatchObject({ code: 'DisabledException' });
  await kms.scheduleKeyDeletion({ keyId: other.KeyId, pendingWindowInDays: 7 });
  await kms.cancelKeyDeletion({ keyId: other.KeyId });
  await expect(kms.describeKey({ keyId: 'alias/missing' })).rejects.toMatchObject({ code: 'NotFoundException' });
  kms.setFaults({ throttle: { probability: 1 } });
  await expect(kms.decrypt({ ciphertextBlob: dk.ciphertextBlob, encryptionContext: ctx })).rejects.toMatchObject({ code: 'ThrottlingException' });
  return { records, keyArn: key.Arn, otherArn: other.Arn, kekVersion: dk.kekVersion! };
}

describe('CloudTrail records of the local KMS', () => {
  it('every record, success or failure, validates against the CloudTrail schema and common invariants', async () => {
    const { records } = await session();
    expect(records.length).toBeGreaterThan(20);
    expect(records.some((r) => r.errorCode)).toBe(true);
    const ids = new Set<string>();
    for (const r of records) {
      const parsed = CloudTrailRecordSchema.safeParse(JSON.parse(JSON.stringify(r)));
      expect(parsed.success, `${r.eventName}: ${JSON.stringify(parsed.error?.issues)}`).toBe(true);
      expect(r.eventVersion).toBe('1.11');
      expect(r.eventTime).toMatch(EVENT_TIME);
      expect(r.eventSource).toBe('kms.amazonaws.com');
      expect(r.awsRegion).toBe(REGION);
      expect(r.recipientAccountId).toBe(ACCT);
      expect(r.eventID).toMatch(UUID);
      expect(r.managementEvent).toBe(true);
      expect(r.eventCategory).toBe('Management');
      if (r.eventType === 'AwsApiCall') expect(r.requestID).toMatch(UUID);
      for (const res of r.resources) expect(res).toEqual({ accountId: ACCT, type: 'AWS::KMS::Key', ARN: expect.stringMatching(/^arn:aws:kms:us-west-2:111122223333:key\//) });
      expect(ids.has(r.eventID)).toBe(false);
      ids.add(r.eventID);
    }
    // Field order as CloudTrail writes it.
    expect(Object.keys(records[0]!).slice(0, 8)).toEqual(['eventVersion', 'userIdentity', 'eventTime', 'eventSource', 'eventName', 'awsRegion', 'sourceIPAddress', 'userAgent']);
  });

  it('a failed call: errorCode and errorMessage after userAgent, null responseElements, no keyMaterialId', async () => {
    const { records, keyArn } = await session();
    const denied = records.find((r) => r.eventName === 'Decrypt' && r.errorCode === 'AccessDeniedException')!;
    expect(denied.errorMessage).toMatch(new RegExp(`^User: arn:aws:sts::${OTHER_ACCT}:assumed-role/x/s is not authorized to perform: kms:Decrypt on resource: ${keyArn} because`));
    expect(Object.keys(denied).indexOf('errorCode')).toBe(Object.keys(denied).indexOf('userAgent') + 1);
    expect(denied.responseElements).toBeNull();
    expect(denied.additionalEventData).toBeUndefined();
    expect(denied.resources.map((r) => r.ARN)).toEqual([keyArn]);
    const codes = records.filter((r) => r.errorCode).map((r) => `${r.eventName}:${r.errorCode}`);
    expect(codes).toEqual([
      'Decrypt:AccessDeniedException',
      'Decrypt:InvalidCiphertextException',
      'GenerateDataKey:DisabledException',
      'DescribeKey:NotFoundException',
      'Decrypt:ThrottlingException',
    ]);
    const notFound = records.find((r) => r.errorCode === 'NotFoundException')!;
    expect(notFound.resources).toEqual([]);
  });

  it('data-plane records: parameters as KMS logs them, keyMaterialId, read-only, null response', async () => {
    const { records, keyArn, otherArn, kekVersion } = await session();
    const gdk = records.find((r) => r.eventName === 'GenerateDataKey')!;
    expect(gdk.requestParameters).toEqual({ keyId: expect.any(String), encryptionContext: ctx, keySpec: 'AES_256' });
    expect(gdk.additionalEventData).toEqual({ keyMaterialId: kekVersion });
    expect(gdk.responseElements).toBeNull();
    expect(gdk.readOnly).toBe(true);
    const dec = records.find((r) => r.eventName === 'Decrypt' && !r.errorCode)!;
    expect(dec.requestParameters).toEqual({ encryptionAlgorithm: 'SYMMETRIC_DEFAULT', encryptionContext: ctx });
    expect(dec.resources.map((r) => r.ARN)).toEqual([keyArn]);
    const enc = records.find((r) => r.eventName === 'Encrypt')!;
    expect(enc.requestParameters).toEqual({ keyId: 'alias/trail', encryptionAlgorithm: 'SYMMETRIC_DEFAULT' });
    const re = records.find((r) => r.eventName === 'ReEncrypt')!;
    expect(re.resources.map((r) => r.ARN)).toEqual([keyArn, otherArn]);
    expect(Object.keys(re.additionalEventData!).sort()).toEqual(['destinationKeyMaterialId', 'sourceKeyMaterialId']);
  });

  it('management records: CreateKey keyMetadata, ScheduleKeyDeletion dates, CreateGrant grantId, read-only flags', async () => {
    const { records, otherArn } = await session();
    const create = records.find((r) => r.eventName === 'CreateKey')!;
    expect(create.readOnly).toBe(false);
    expect(create.responseElements!.keyMetadata).toMatchObject({ aWSAccountId: ACCT, keyState: 'Enabled', description: 'trail', creationDate: 'May 20, 2025, 8:00:00 PM' });
    const sched = records.find((r) => r.eventName === 'ScheduleKeyDeletion')!;
    expect(sched.responseElements).toMatchObject({ keyId: otherArn, keyState: 'PendingDeletion', pendingWindowInDays: 7 });
    expect(sched.responseElements!.deletionDate).toMatch(/^May 2\d, 2025, \d{1,2}:\d{2}:\d{2} [AP]M$/);
    const grant = records.find((r) => r.eventName === 'CreateGrant')!;
    expect(grant.requestParameters).toMatchObject({ operations: ['Decrypt'], constraints: { encryptionContextSubset: ctx } });
    expect(grant.responseElements).toEqual({ grantId: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(records.find((r) => r.eventName === 'DescribeKey')!.readOnly).toBe(true);
    expect(records.find((r) => r.eventName === 'ListGrants')!.readOnly).toBe(true);
    expect(records.find((r) => r.eventName === 'DisableKey')!.readOnly).toBe(false);
  });

  it('userIdentity per kind of caller', async () => {
    const { records } = await session();
    const decrypts = records.filter((r) => r.eventName === 'Decrypt');
    const role = decrypts[0]!.userIdentity;
    expect(role).toMatchObject({ type: 'AssumedRole', arn: `arn:aws:sts::${ACCT}:assumed-role/app/session-1`, principalId: 'AROAAPP:session-1', accessKeyId: 'ASIAEXAMPLE0000001' });
    expect(role.sessionContext).toEqual({
      sessionIssuer: { type: 'Role', principalId: 'AROAAPP', arn: `arn:aws:iam::${ACCT}:role/app`, accountId: ACCT, userName: 'app' },
      webIdFederationData: {},
      attributes: { creationDate: '2025-05-20T20:00:00Z', mfaAuthenticated: 'false' },
    });
    expect(decrypts[0]!.tlsDetails).toEqual({ tlsVersion: 'TLSv1.3', cipherSuite: 'TLS_AES_128_GCM_SHA256', clientProvidedHostHeader: 'kms.us-west-2.amazonaws.com' });
    expect(decrypts[1]!.userIdentity).toEqual({ type: 'AWSService', invokedBy: 's3.amazonaws.com' });
    expect(decrypts[1]!.sourceIPAddress).toBe('s3.amazonaws.com');
    expect(decrypts[1]!.tlsDetails).toBeUndefined();
    expect(decrypts[2]!.userIdentity.invokedBy).toBe('AWS Internal');
    expect(decrypts[2]!.tlsDetails).toBeUndefined();
    const create = records.find((r) => r.eventName === 'CreateKey')!;
    expect(create.userIdentity).toEqual({ type: 'IAMUser', principalId: 'AIDAADMIN', arn: `arn:aws:iam::${ACCT}:user/admin`, accountId: ACCT, accessKeyId: 'AKIAEXAMPLE0000001', userName: 'admin' });
  });

  it('event time is the completion time on the clock, at second precision', async () => {
    expect(formatEventTime(Date.UTC(2025, 0, 2, 3, 4, 5, 999))).toBe('2025-01-02T03:04:05Z');
    expect(formatKmsDate(Date.UTC(2025, 4, 20, 0, 5, 9))).toBe('May 20, 2025, 12:05:09 AM');
    expect(formatKmsDate(Date.UTC(2025, 11, 1, 12, 0, 0))).toBe('Dec 1, 2025, 12:00:00 PM');
    const { records } = await session();
    const afterAdvance = records.find((r) => r.eventName === 'Decrypt')!;
    expect(afterAdvance.eventTime).toBe('2025-05-20T20:00:01Z');
  });
});
