import { describe, expect, it } from 'vitest';
import { CloudTrailLogFileSchema, CloudTrailRecordSchema } from '../../../lib/model/cloudtrail-record';

/** Records in the shapes AWS writes them (values invented), including ones the local KMS never writes. */
const awsDecryptByRole = {
  eventVersion: '1.11',
  userIdentity: {
    type: 'AssumedRole',
    principalId: 'AROAEXAMPLEID:worker-17',
    arn: 'arn:aws:sts::123456789012:assumed-role/worker/worker-17',
    accountId: '123456789012',
    accessKeyId: 'ASIAEXAMPLEKEY',
    sessionContext: {
      sessionIssuer: { type: 'Role', principalId: 'AROAEXAMPLEID', arn: 'arn:aws:iam::123456789012:role/worker', accountId: '123456789012', userName: 'worker' },
      webIdFederationData: {},
      attributes: { creationDate: '2025-03-01T10:00:00Z', mfaAuthenticated: 'false' },
      ec2RoleDelivery: '2.0',
    },
  },
  eventTime: '2025-03-01T10:15:42Z',
  eventSource: 'kms.amazonaws.com',
  eventName: 'Decrypt',
  awsRegion: 'eu-central-1',
  sourceIPAddress: '203.0.113.9',
  userAgent: 'aws-sdk-go-v2/1.30.0',
  requestParameters: { encryptionAlgorithm: 'SYMMETRIC_DEFAULT', encryptionContext: { bucket: 'reports' } },
  responseElements: null,
  additionalEventData: { keyMaterialId: 'aa'.repeat(32) },
  requestID: '5bd2a8f6-0a4e-4d5e-9a51-77d2c0c1f3a1',
  eventID: '0f7f9a5e-3b1c-4c55-8d1e-2a9c7b6f4e10',
  readOnly: true,
  resources: [{ accountId: '123456789012', type: 'AWS::KMS::Key', ARN: 'arn:aws:kms:eu-central-1:123456789012:key/11111111-2222-4333-8444-555555555555' }],
  eventType: 'AwsApiCall',
  managementEvent: true,
  recipientAccountId: '123456789012',
  eventCategory: 'Management',
  tlsDetails: { tlsVersion: 'TLSv1.3', cipherSuite: 'TLS_AES_128_GCM_SHA256', clientProvidedHostHeader: 'kms.eu-central-1.amazonaws.com' },
  // A field from a future minor version.
  someFutureField: { x: 1 },
};

const awsAutomaticRotation = {
  eventVersion: '1.11',
  userIdentity: { accountId: '123456789012', invokedBy: 'AWS Internal' },
  eventTime: '2025-03-02T00:00:07Z',
  eventSource: 'kms.amazonaws.com',
  eventName: 'RotateKey',
  awsRegion: 'eu-central-1',
  sourceIPAddress: 'AWS Internal',
  userAgent: 'AWS Internal',
  requestParameters: null,
  responseElements: null,
  eventID: '7e0b5a1d-9c2f-4b7a-8e3d-6f1a2b3c4d5e',
  readOnly: false,
  resources: [{ accountId: '123456789012', type: 'AWS::KMS::Key', ARN: 'arn:aws:kms:eu-central-1:123456789012:key/11111111-2222-4333-8444-555555555555' }],
  eventType: 'AwsServiceEvent',
  managementEvent: true,
  recipientAccountId: '123456789012',
  serviceEventDetails: { rotationType: 'AUTOMATIC', keyOrigin: 'AWS_KMS' },
  eventCategory: 'Management',
};

const awsServiceCaller = {
  eventVersion: '1.09',
  userIdentity: { type: 'AWSService', invokedBy: 'cloudtrail.amazonaws.com' },
  eventTime: '2024-11-05T08:01:00Z',
  eventSource: 'kms.amazonaws.com',
  eventName: 'GenerateDataKey',
  awsRegion: 'us-east-1',
  sourceIPAddress: 'cloudtrail.amazonaws.com',
  userAgent: 'cloudtrail.amazonaws.com',
  errorCode: 'AccessDeniedException',
  errorMessage: 'User: cloudtrail.amazonaws.com is not authorized ...',
  requestParameters: { keyId: 'alias/trail-key', keySpec: 'AES_256' },
  responseElements: null,
  requestID: '9d1c7e1a-0e4b-4b8c-9a2e-2b1f0c3d4e5f',
  eventID: '3c2b1a09-8f7e-4d6c-9b5a-4e3d2c1b0a9f',
  readOnly: true,
  eventType: 'AwsApiCall',
  managementEvent: true,
  recipientAccountId: '123456789012',
  sharedEventID: 'a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d',
  eventCategory: 'Management',
};

describe('CloudTrailRecordSchema', () => {
  it('accepts real-shaped records: assumed role with unknown fields, a service event without type or requestID, a service caller with an error', () => {
    for (const r of [awsDecryptByRole, awsAutomaticRotation, awsServiceCaller]) {
      const parsed = CloudTrailRecordSchema.safeParse(r);
      expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true);
    }
    // Unknown fields survive parsing (the normalizer keeps the raw record).
    expect(CloudTrailRecordSchema.parse(awsDecryptByRole).someFutureField).toEqual({ x: 1 });
    expect(CloudTrailLogFileSchema.safeParse({ Records: [awsDecryptByRole, awsAutomaticRotation] }).success).toBe(true);
  });

  it.each([
    ['missing eventID', (r: Record<string, unknown>) => delete r.eventID],
    ['eventID not a UUID', (r: Record<string, unknown>) => (r.eventID = 'abc')],
    ['eventTime not ISO', (r: Record<string, unknown>) => (r.eventTime = '2025-03-01 10:15:42')],
    ['eventVersion not major.minor', (r: Record<string, unknown>) => (r.eventVersion = 'v1')],
    ['readOnly as a string', (r: Record<string, unknown>) => (r.readOnly = 'true')],
    ['missing userIdentity', (r: Record<string, unknown>) => delete r.userIdentity],
    ['missing recipientAccountId', (r: Record<string, unknown>) => delete r.recipientAccountId],
    ['unknown eventType', (r: Record<string, unknown>) => (r.eventType = 'Whatever')],
    ['API call without identity type', (r: Record<string, unknown>) => (r.userIdentity = { accountId: '123456789012' })],
    ['errorMessage without errorCode', (r: Record<string, unknown>) => (r.errorMessage = 'boom')],
    ['mfaAuthenticated as a boolean', (r: Record<string, unknown>) => (((r.userIdentity as Record<string, Record<string, Record<string, unknown>>>).sessionContext!.attributes!.mfaAuthenticated = false))],
    ['requestParameters as a string', (r: Record<string, unknown>) => (r.requestParameters = 'x')],
  ])('rejects a record with %s', (_name, mutate) => {
    const r = structuredClone(awsDecryptByRole) as Record<string, unknown>;
    mutate(r);
    expect(CloudTrailRecordSchema.safeParse(r).success).toBe(false);
  });
});
