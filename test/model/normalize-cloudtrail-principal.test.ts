import { describe, expect, it } from 'vitest';
import { ACCOUNT, KEY_ARN, KEY_ID, MATERIAL_A, MATERIAL_B, OTHER_ACCOUNT, REGION, identities, keyResource, kmsApiCall, kmsServiceEvent } from '../support/cloudtrail-fixtures';
import { accept } from '../support/normalize-helpers';

const decryptParams = { encryptionAlgorithm: 'SYMMETRIC_DEFAULT', encryptionContext: { 'aws:s3:arn': 'arn:aws:s3:::orders-archive/2025/05/21/order-88121.json' } };

describe('principal', () => {
  it('assumed role: session ARN as arn, the session issuer as roleArn, the temporary access key', () => {
    const event = accept(kmsApiCall({ eventName: 'Decrypt', label: 'role', userIdentity: identities.assumedRole(), sourceIPAddress: '10.0.1.23', userAgent: 'aws-sdk-js/3.700.0', readOnly: true }));
    expect(event.principal).toEqual({
      type: 'AssumedRole',
      name: `arn:aws:iam::${ACCOUNT}:role/OrdersService`,
      arn: `arn:aws:sts::${ACCOUNT}:assumed-role/OrdersService/orders-7f3c`,
      accountId: ACCOUNT,
      principalId: 'AROAIDPPEZS35WEXAMPLE:orders-7f3c',
      accessKeyId: 'ASIAIOSFODNN7EXAMPLE',
      roleArn: `arn:aws:iam::${ACCOUNT}:role/OrdersService`,
      invokedBy: null,
    });
    expect(event.sourceIp).toBe('10.0.1.23');
    expect(event.userAgent).toBe('aws-sdk-js/3.700.0');
    expect(event.crossAccount).toBe(false);
  });

  it('IAM user: no roleArn', () => {
    const event = accept(kmsApiCall({ eventName: 'DescribeKey', label: 'user' }));
    expect(event.principal).toEqual({
      type: 'IAMUser',
      name: `arn:aws:iam::${ACCOUNT}:user/Alice`,
      arn: `arn:aws:iam::${ACCOUNT}:user/Alice`,
      accountId: ACCOUNT,
      principalId: 'AIDACKCEVSQ6C2EXAMPLE',
      accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
      roleArn: null,
      invokedBy: null,
    });
  });

  it('root', () => {
    const event = accept(kmsApiCall({ eventName: 'ScheduleKeyDeletion', label: 'root', userIdentity: identities.root, requestParameters: { keyId: KEY_ID, pendingWindowInDays: 7 } }));
    expect(event.principal).toMatchObject({ type: 'Root', arn: `arn:aws:iam::${ACCOUNT}:root`, accountId: ACCOUNT, principalId: ACCOUNT, roleArn: null });
  });

  it('S3 calling on a role\'s behalf: invokedBy, and the service name kept as sourceIp', () => {
    const event = accept(
      kmsApiCall({
        eventName: 'GenerateDataKey',
        label: 's3-on-behalf',
        userIdentity: { ...identities.assumedRole(), invokedBy: 's3.amazonaws.com' },
        sourceIPAddress: 's3.amazonaws.com',
        userAgent: 's3.amazonaws.com',
        requestParameters: { keyId: KEY_ARN, keySpec: 'AES_256', ...decryptParams },
        additionalEventData: { keyMaterialId: MATERIAL_A },
        readOnly: true,
      }),
    );
    expect(event.principal.type).toBe('AssumedRole');
    expect(event.principal.invokedBy).toBe('s3.amazonaws.com');
    expect(event.sourceIp).toBe('s3.amazonaws.com');
    expect(event.userAgent).toBe('s3.amazonaws.com');
    expect(event.encryptionContext).toEqual(decryptParams.encryptionContext);
  });

  it('a service principal calling for itself: AWSService with no account, never cross-account', () => {
    const event = accept(
      kmsApiCall({
        eventName: 'GenerateDataKey',
        label: 'cloudtrail-service',
        eventVersion: '1.09',
        userIdentity: identities.awsService('cloudtrail.amazonaws.com'),
        sourceIPAddress: 'cloudtrail.amazonaws.com',
        userAgent: 'cloudtrail.amazonaws.com',
        requestParameters: { keyId: KEY_ARN, keySpec: 'AES_256', encryptionContext: { 'aws:cloudtrail:arn': `arn:aws:cloudtrail:${REGION}:${ACCOUNT}:trail/management` } },
        readOnly: true,
      }),
    );
    expect(event.principal).toEqual({ type: 'AWSService', name: 'cloudtrail.amazonaws.com', arn: null, accountId: null, principalId: null, accessKeyId: null, roleArn: null, invokedBy: 'cloudtrail.amazonaws.com' });
    expect(event.sourceIp).toBe('cloudtrail.amazonaws.com');
    expect(event.crossAccount).toBe(false);
  });

  it("'AWS Internal' as invokedBy and sourceIPAddress is kept as written", () => {
    const event = accept(
      kmsApiCall({
        eventName: 'Decrypt',
        label: 'internal',
        userIdentity: { ...identities.assumedRole(), invokedBy: 'AWS Internal' },
        sourceIPAddress: 'AWS Internal',
        userAgent: 'AWS Internal',
        requestParameters: decryptParams,
        readOnly: true,
      }),
    );
    expect(event.principal.invokedBy).toBe('AWS Internal');
    expect(event.sourceIp).toBe('AWS Internal');
  });

  it('a service event (no userIdentity.type) is made by AWSService, in the key owner\'s account', () => {
    const event = accept(
      kmsServiceEvent({ eventName: 'RotateKey', serviceEventDetails: { rotationType: 'AUTOMATIC', keyOrigin: 'AWS_KMS', previousKeyMaterialId: MATERIAL_A, currentKeyMaterialId: MATERIAL_B } }),
    );
    expect(event.principal).toEqual({ type: 'AWSService', name: 'AWS Internal', arn: null, accountId: ACCOUNT, principalId: null, accessKeyId: null, roleArn: null, invokedBy: 'AWS Internal' });
    expect(event.eventType).toBe('AwsServiceEvent');
    expect(event.requestId).toBeNull();
    expect(event.sourceIp).toBe('AWS Internal');
    expect(event.crossAccount).toBe(false);
  });

  it.each([
    ['FederatedUser', 'FederatedUser'],
    ['AWSAccount', 'AWSAccount'],
    ['IdentityCenterUser', 'IdentityCenterUser'],
    ['Unknown', 'Unknown'],
    ['SAMLUser', 'SAMLUser'],
    ['WebIdentityUser', 'WebIdentityUser'],
    ['Directory', 'Directory'],
    ['Role', 'Role'],
    ['SomeTypeAwsAddsNextYear', 'Unknown'],
  ])('userIdentity.type %s → %s', (type, expected) => {
    const event = accept(kmsApiCall({ eventName: 'DescribeKey', label: `type-${type}`, userIdentity: { type, principalId: 'EXAMPLE', accountId: ACCOUNT } }));
    expect(event.principal.type).toBe(expected);
    expect(event.principal.roleArn).toBeNull();
  });

  it('a federated user is issued by an IAM user, which is not a role', () => {
    const userIdentity = {
      type: 'FederatedUser',
      principalId: `${ACCOUNT}:bob`,
      arn: `arn:aws:sts::${ACCOUNT}:federated-user/bob`,
      accountId: ACCOUNT,
      accessKeyId: 'ASIAIOSFODNN7EXAMPLE',
      sessionContext: { sessionIssuer: { type: 'IAMUser', principalId: 'AIDACKCEVSQ6C2EXAMPLE', arn: `arn:aws:iam::${ACCOUNT}:user/Alice`, accountId: ACCOUNT, userName: 'Alice' } },
    };
    expect(accept(kmsApiCall({ eventName: 'DescribeKey', label: 'federated', userIdentity })).principal.roleArn).toBeNull();
  });
});

describe('crossAccount', () => {
  it("in the key owner's trail: a caller from another account", () => {
    const event = accept(
      kmsApiCall({ eventName: 'Decrypt', label: 'xacct-owner', userIdentity: identities.assumedRole(OTHER_ACCOUNT, 'Partner', 'p-1'), requestParameters: decryptParams, readOnly: true }),
    );
    expect(event.principal.accountId).toBe(OTHER_ACCOUNT);
    expect(event.accountId).toBe(ACCOUNT);
    expect(event.crossAccount).toBe(true);
  });

  it("in the caller's trail: the key ARN names the owner's account", () => {
    const event = accept(
      kmsApiCall({
        eventName: 'Decrypt',
        label: 'xacct-caller',
        userIdentity: identities.assumedRole(OTHER_ACCOUNT, 'Partner', 'p-1'),
        requestParameters: { ...decryptParams, keyId: KEY_ARN },
        resources: [keyResource(KEY_ARN)],
        recipientAccountId: OTHER_ACCOUNT,
        readOnly: true,
      }),
    );
    expect(event.accountId).toBe(OTHER_ACCOUNT);
    expect(event.crossAccount).toBe(true);
  });

  it('without a known key, the trail account stands for the key owner', () => {
    const base = { eventName: 'DescribeKey', requestParameters: { keyId: 'alias/partner-key' }, resources: [] };
    expect(accept(kmsApiCall({ ...base, label: 'nokey-same' })).crossAccount).toBe(false);
    expect(accept(kmsApiCall({ ...base, label: 'nokey-other', userIdentity: identities.assumedRole(OTHER_ACCOUNT) })).crossAccount).toBe(true);
  });
});
