import { describe, expect, it } from 'vitest';
import { ACCOUNT, ALIAS_ARN, KEY2_ARN, KEY2_ID, KEY_ARN, KEY_ID, MATERIAL_A, MATERIAL_B, MRK_ID, OTHER_ACCOUNT, failed, identities, keyResource, kmsApiCall, kmsServiceEvent } from '../support/cloudtrail-fixtures';
import { accept } from '../support/normalize-helpers';

const noResources = { resources: [] };

describe('key', () => {
  it('resources[] wins: Decrypt names its key only there', () => {
    const event = accept(kmsApiCall({ eventName: 'Decrypt', requestParameters: { encryptionAlgorithm: 'SYMMETRIC_DEFAULT' }, readOnly: true }));
    expect(event.keyArn).toBe(KEY_ARN);
    expect(event.keyId).toBe(KEY_ID);
  });

  it('alias ARNs in resources[] (typed AWS::KMS::Key) are skipped for the key ARN', () => {
    const event = accept(kmsApiCall({ eventName: 'UpdateAlias', requestParameters: { aliasName: 'alias/ExampleAlias', targetKeyId: KEY_ID }, resources: [keyResource(ALIAS_ARN), keyResource(KEY_ARN)] }));
    expect(event.keyArn).toBe(KEY_ARN);
  });

  it('without resources: a key ARN in requestParameters.keyId', () => {
    const event = accept(kmsApiCall({ eventName: 'DescribeKey', requestParameters: { keyId: KEY2_ARN }, ...noResources }));
    expect(event.keyArn).toBe(KEY2_ARN);
    expect(event.keyId).toBe(KEY2_ID);
  });

  it('without resources: an ARN named anywhere (responseElements.keyId since December 2022) beats building one from a bare id', () => {
    // Different keys only to show the precedence; KMS names the same key in both.
    const event = accept(kmsApiCall({ eventName: 'CancelKeyDeletion', requestParameters: { keyId: KEY2_ID }, responseElements: { keyId: KEY_ARN }, ...noResources }));
    expect(event.keyArn).toBe(KEY_ARN);
  });

  it('a bare key id from a caller in the trail account: ARN built from Region and account', () => {
    const event = accept(kmsApiCall({ eventName: 'EnableKey', requestParameters: { keyId: KEY2_ID }, ...noResources }));
    expect(event.keyArn).toBe(KEY2_ARN);
    expect(event.keyId).toBe(KEY2_ID);
  });

  it('a bare multi-Region key id, in the China partition', () => {
    const event = accept(kmsApiCall({ eventName: 'EnableKey', requestParameters: { keyId: MRK_ID }, awsRegion: 'cn-north-1', ...noResources }));
    expect(event.keyArn).toBe(`arn:aws-cn:kms:cn-north-1:${ACCOUNT}:key/${MRK_ID}`);
    expect(event.keyId).toBe(MRK_ID);
  });

  it('a bare key id from another account is ambiguous: no ARN, the id is kept', () => {
    const event = accept(kmsApiCall({ eventName: 'DescribeKey', userIdentity: identities.assumedRole(OTHER_ACCOUNT), requestParameters: { keyId: KEY_ID }, ...noResources }));
    expect(event.keyArn).toBeNull();
    expect(event.keyId).toBe(KEY_ID);
  });

  it.each([['alias/ExampleAlias'], [ALIAS_ARN], ['not-a-key']])('%s stays unresolved (keyArn and keyId null)', (keyId) => {
    const record = failed(kmsApiCall({ eventName: 'DescribeKey', label: keyId, requestParameters: { keyId }, ...noResources }), 'NotFoundException', `Alias ${ALIAS_ARN} is not found.`);
    const event = accept(record);
    expect(event.keyArn).toBeNull();
    expect(event.keyId).toBeNull();
  });

  it('old-format RotateKey service events name the key in serviceEventDetails only', () => {
    const event = accept(kmsServiceEvent({ eventName: 'RotateKey', eventVersion: '1.05', resources: [], serviceEventDetails: { keyId: KEY_ID } }));
    expect(event.keyArn).toBe(KEY_ARN);
    expect(event.keyMaterialId).toBeNull();
  });
});

describe('key material (KEK version)', () => {
  it('RotateKey: the new current material, and the previous one', () => {
    const event = accept(
      kmsServiceEvent({ eventName: 'RotateKey', serviceEventDetails: { rotationType: 'ON_DEMAND', keyOrigin: 'AWS_KMS', previousKeyMaterialId: MATERIAL_A, currentKeyMaterialId: MATERIAL_B } }),
    );
    expect(event.keyMaterialId).toBe(MATERIAL_B);
    expect(event.previousKeyMaterialId).toBe(MATERIAL_A);
    expect(event.management).toBe(true);
  });

  it('RotateKeyOnDemand (the API call) names no material; its RotateKey event does', () => {
    const event = accept(kmsApiCall({ eventName: 'RotateKeyOnDemand', responseElements: { keyId: KEY_ID } }));
    expect(event.keyMaterialId).toBeNull();
    expect(event.previousKeyMaterialId).toBeNull();
  });

  it('a failed data-plane call has no material', () => {
    const ok = kmsApiCall({ eventName: 'Decrypt', additionalEventData: { keyMaterialId: MATERIAL_A }, readOnly: true });
    expect(accept(ok).keyMaterialId).toBe(MATERIAL_A);
    expect(accept(failed(ok, 'DisabledException', `${KEY_ARN} is disabled.`)).keyMaterialId).toBeNull();
  });
});

describe('ReEncrypt', () => {
  const params = {
    sourceEncryptionAlgorithm: 'SYMMETRIC_DEFAULT',
    sourceEncryptionContext: { Project: 'Alpha', Department: 'Engineering' },
    destinationKeyId: KEY2_ID,
    destinationEncryptionAlgorithm: 'SYMMETRIC_DEFAULT',
    destinationEncryptionContext: { Level: '3A' },
  };
  const materials = { destinationKeyMaterialId: MATERIAL_B, sourceKeyMaterialId: MATERIAL_A };

  it('the destination is the event key; the source side (key, material, context) is kept beside it', () => {
    const event = accept(kmsApiCall({ eventName: 'ReEncrypt', requestParameters: params, additionalEventData: materials, resources: [keyResource(KEY_ARN), keyResource(KEY2_ARN)], readOnly: true }));
    expect(event.keyArn).toBe(KEY2_ARN);
    expect(event.keyMaterialId).toBe(MATERIAL_B);
    expect(event.encryptionContext).toEqual({ Level: '3A' });
    expect(event.reEncryptSource).toEqual({ keyArn: KEY_ARN, keyId: KEY_ID, keyMaterialId: MATERIAL_A, encryptionContext: { Project: 'Alpha', Department: 'Engineering' } });
    expect(event.management).toBe(false);
  });

  it('rewrapping under a new version of the same key: one listed key serves both sides', () => {
    const event = accept(kmsApiCall({ eventName: 'ReEncrypt', label: 'same', requestParameters: { ...params, destinationKeyId: KEY_ID }, additionalEventData: materials, readOnly: true }));
    expect(event.keyArn).toBe(KEY_ARN);
    expect(event.reEncryptSource?.keyArn).toBe(KEY_ARN);
  });

  it('failed at the source: the one listed key is the source; the destination comes from the request', () => {
    const record = failed(kmsApiCall({ eventName: 'ReEncrypt', label: 'src-fail', requestParameters: params, readOnly: true }), 'IncorrectKeyException', 'The key ID in the request does not identify a KMS key that can perform this operation.');
    const event = accept(record);
    expect(event.reEncryptSource?.keyArn).toBe(KEY_ARN);
    expect(event.keyArn).toBe(KEY2_ARN);
    expect(event.keyMaterialId).toBeNull();
  });

  it('a failed call listing only the destination key: the source is only what the request named', () => {
    const record = failed(kmsApiCall({ eventName: 'ReEncrypt', label: 'dst-only', requestParameters: { ...params, destinationKeyId: KEY_ID }, readOnly: true }), 'KMSInvalidStateException', `${KEY_ARN} is pending deletion.`);
    const event = accept(record);
    expect(event.keyArn).toBe(KEY_ARN);
    expect(event.reEncryptSource).toEqual({ keyArn: null, keyId: null, keyMaterialId: null, encryptionContext: params.sourceEncryptionContext });
  });

  it('a cross-account source key makes the call cross-account', () => {
    const foreign = `arn:aws:kms:us-west-2:${OTHER_ACCOUNT}:key/${KEY_ID}`;
    const event = accept(kmsApiCall({ eventName: 'ReEncrypt', label: 'xacct', requestParameters: params, resources: [keyResource(foreign, OTHER_ACCOUNT), keyResource(KEY2_ARN)], readOnly: true }));
    expect(event.crossAccount).toBe(true);
  });

  it('other calls have no source side and no previous material', () => {
    const event = accept(kmsApiCall({ eventName: 'Encrypt', readOnly: true }));
    expect(event.reEncryptSource).toBeNull();
    expect(event.previousKeyMaterialId).toBeNull();
  });
});

describe('encryption context', () => {
  it('the full map, shared with raw rather than copied', () => {
    const encryptionContext = { tenant: 'acme', 'aws:s3:arn': 'arn:aws:s3:::orders/a.json', empty: '' };
    const record = kmsApiCall({ eventName: 'GenerateDataKey', requestParameters: { keyId: KEY_ID, keySpec: 'AES_256', encryptionContext }, readOnly: true });
    const event = accept(record);
    expect(event.encryptionContext).toEqual(encryptionContext);
    expect(event.encryptionContext).toBe(encryptionContext);
  });

  it('absent (CloudTrail omits an empty context) → null', () => {
    expect(accept(kmsApiCall({ eventName: 'Decrypt', requestParameters: { encryptionAlgorithm: 'SYMMETRIC_DEFAULT' } })).encryptionContext).toBeNull();
    expect(accept(kmsApiCall({ eventName: 'ListKeys', requestParameters: null, resources: [] })).encryptionContext).toBeNull();
  });

  it('grant constraints are not the call\'s context', () => {
    const record = kmsApiCall({ eventName: 'CreateGrant', requestParameters: { keyId: KEY_ID, granteePrincipal: 'arn:aws:iam::111122223333:role/x', operations: ['Decrypt'], constraints: { encryptionContextSubset: { a: 'b' } } } });
    expect(accept(record).encryptionContext).toBeNull();
  });
});
