import type { KmsEventName } from '../../lib/model/normalize-cloudtrail';
import { ACCOUNT, ALIAS_ARN, KEY2_ARN, KEY2_ID, KEY_ARN, KEY_ID, MATERIAL_A, MATERIAL_B, MRK_ARN, keyResource, kmsApiCall, kmsServiceEvent, type KmsRecordInput } from './cloudtrail-fixtures';

/**
 * One realistic record per KMS event name, with what the normalizer should read from it.
 * Parameters follow the AWS KMS developer guide's log entry examples for each operation.
 */

type Json = Record<string, unknown>;

export interface CatalogEntry {
  record: Json;
  /** The key the event should name. */
  keyArn: string | null;
  keyMaterialId?: string | null;
}

const ctx = { Department: 'Engineering', Project: 'Alpha' };
const material = { keyMaterialId: MATERIAL_A };
const cks = { customKeyStoreId: 'cks-1234567890abcdef0' };
const grantId = '0c237476b39f8bc44e45212e08498fbe3151305030726c0590dd8d3e9f3d6a60';
const role = `arn:aws:iam::${ACCOUNT}:role/OrdersService`;

function call(eventName: string, rest: Omit<KmsRecordInput, 'eventName'>, keyArn: string | null = KEY_ARN, keyMaterialId?: string | null): CatalogEntry {
  return { record: kmsApiCall({ eventName, ...rest }), keyArn, ...(keyMaterialId !== undefined ? { keyMaterialId } : {}) };
}

function read(eventName: string, rest: Omit<KmsRecordInput, 'eventName' | 'readOnly'> = {}, keyArn: string | null = KEY_ARN): CatalogEntry {
  return call(eventName, { ...rest, readOnly: true }, keyArn);
}

function service(eventName: string, rest: Omit<KmsRecordInput, 'eventName'>, keyArn: string | null, keyMaterialId?: string | null): CatalogEntry {
  return { record: kmsServiceEvent({ eventName, ...rest }), keyArn, ...(keyMaterialId !== undefined ? { keyMaterialId } : {}) };
}

const noKey = { resources: [] as Json[] };

export const KMS_EVENT_CATALOG: Record<KmsEventName, CatalogEntry> = {
  // Data plane.
  Decrypt: call('Decrypt', { requestParameters: { encryptionAlgorithm: 'SYMMETRIC_DEFAULT', encryptionContext: ctx }, additionalEventData: material, readOnly: true }, KEY_ARN, MATERIAL_A),
  DeriveSharedSecret: read('DeriveSharedSecret', { requestParameters: { keyId: KEY_ID, keyAgreementAlgorithm: 'ECDH' } }),
  Encrypt: call('Encrypt', { requestParameters: { keyId: 'alias/ExampleAlias', encryptionAlgorithm: 'SYMMETRIC_DEFAULT', encryptionContext: ctx }, additionalEventData: material, readOnly: true }, KEY_ARN, MATERIAL_A),
  GenerateDataKey: call('GenerateDataKey', { requestParameters: { keyId: KEY_ID, numberOfBytes: 32, encryptionContext: ctx }, additionalEventData: material, readOnly: true }, KEY_ARN, MATERIAL_A),
  GenerateDataKeyPair: call('GenerateDataKeyPair', { requestParameters: { keyId: KEY_ID, keyPairSpec: 'RSA_3072', encryptionContext: ctx }, additionalEventData: material, readOnly: true }, KEY_ARN, MATERIAL_A),
  GenerateDataKeyPairWithoutPlaintext: call('GenerateDataKeyPairWithoutPlaintext', { requestParameters: { keyId: KEY_ID, keyPairSpec: 'ECC_NIST_P384' }, additionalEventData: material, readOnly: true }, KEY_ARN, MATERIAL_A),
  GenerateDataKeyWithoutPlaintext: call('GenerateDataKeyWithoutPlaintext', { requestParameters: { keyId: KEY_ID, keySpec: 'AES_256', encryptionContext: ctx }, additionalEventData: material, readOnly: true }, KEY_ARN, MATERIAL_A),
  GenerateMac: read('GenerateMac', { requestParameters: { keyId: KEY_ID, macAlgorithm: 'HMAC_SHA_384' } }),
  GenerateRandom: read('GenerateRandom', { requestParameters: null, ...noKey }, null),
  ReEncrypt: call(
    'ReEncrypt',
    {
      requestParameters: {
        sourceEncryptionAlgorithm: 'SYMMETRIC_DEFAULT',
        sourceEncryptionContext: ctx,
        destinationKeyId: KEY2_ID,
        destinationEncryptionAlgorithm: 'SYMMETRIC_DEFAULT',
        destinationEncryptionContext: { Level: '3A' },
      },
      additionalEventData: { destinationKeyMaterialId: MATERIAL_B, sourceKeyMaterialId: MATERIAL_A },
      readOnly: true,
      resources: [keyResource(KEY_ARN), keyResource(KEY2_ARN)],
    },
    KEY2_ARN,
    MATERIAL_B,
  ),
  Sign: read('Sign', { requestParameters: { keyId: KEY_ID, messageType: 'RAW', signingAlgorithm: 'ECDSA_SHA_384' } }),
  Verify: read('Verify', { requestParameters: { keyId: KEY_ID, messageType: 'RAW', signingAlgorithm: 'ECDSA_SHA_384' } }),
  VerifyMac: read('VerifyMac', { requestParameters: { keyId: KEY_ID, macAlgorithm: 'HMAC_SHA_384' } }),

  // Management plane.
  CancelKeyDeletion: call('CancelKeyDeletion', { responseElements: { keyId: KEY_ARN } }),
  ConnectCustomKeyStore: call('ConnectCustomKeyStore', { requestParameters: cks, ...noKey }, null),
  CreateAlias: call('CreateAlias', { requestParameters: { aliasName: 'alias/ExampleAlias', targetKeyId: KEY_ID }, responseElements: { keyId: KEY_ARN }, resources: [keyResource(KEY_ARN), keyResource(ALIAS_ARN)] }),
  CreateCustomKeyStore: call('CreateCustomKeyStore', { requestParameters: { customKeyStoreName: 'ExampleKeyStore', cloudHsmClusterId: 'cluster-1a23b4cdefg', keyStorePassword: '***' }, responseElements: cks, ...noKey }, null),
  CreateGrant: call('CreateGrant', {
    requestParameters: { keyId: KEY_ID, granteePrincipal: role, operations: ['Decrypt'], constraints: { encryptionContextSubset: ctx }, retiringPrincipal: role },
    responseElements: { grantId, keyId: KEY_ARN },
  }),
  CreateKey: call('CreateKey', {
    requestParameters: { description: 'orders', keyUsage: 'ENCRYPT_DECRYPT', keySpec: 'SYMMETRIC_DEFAULT', origin: 'AWS_KMS', bypassPolicyLockoutSafetyCheck: false, multiRegion: false },
    responseElements: {
      keyMetadata: {
        aWSAccountId: ACCOUNT,
        keyId: KEY_ID,
        arn: KEY_ARN,
        creationDate: 'May 21, 2025, 5:42:35 AM',
        enabled: true,
        description: 'orders',
        keyUsage: 'ENCRYPT_DECRYPT',
        keyState: 'Enabled',
        origin: 'AWS_KMS',
        keyManager: 'CUSTOMER',
        customerMasterKeySpec: 'SYMMETRIC_DEFAULT',
        keySpec: 'SYMMETRIC_DEFAULT',
        encryptionAlgorithms: ['SYMMETRIC_DEFAULT'],
        multiRegion: false,
        currentKeyMaterialId: MATERIAL_A,
      },
    },
  }),
  DeleteAlias: call('DeleteAlias', { requestParameters: { aliasName: 'alias/ExampleAlias' }, resources: [keyResource(ALIAS_ARN), keyResource(KEY_ARN)] }),
  DeleteCustomKeyStore: call('DeleteCustomKeyStore', { requestParameters: cks, ...noKey }, null),
  DeleteImportedKeyMaterial: call('DeleteImportedKeyMaterial', { requestParameters: { keyId: KEY_ID, keyMaterialId: MATERIAL_A }, responseElements: { keyId: KEY_ARN, keyMaterialId: MATERIAL_A } }, KEY_ARN, MATERIAL_A),
  DescribeCustomKeyStores: read('DescribeCustomKeyStores', { requestParameters: cks, ...noKey }, null),
  DescribeKey: read('DescribeKey', { requestParameters: { keyId: 'alias/ExampleAlias' } }),
  DisableKey: call('DisableKey', {}),
  DisableKeyRotation: call('DisableKeyRotation', {}),
  DisconnectCustomKeyStore: call('DisconnectCustomKeyStore', { requestParameters: cks, ...noKey }, null),
  EnableKey: call('EnableKey', {}),
  EnableKeyRotation: call('EnableKeyRotation', { requestParameters: { keyId: KEY_ID, rotationPeriodInDays: 180 } }),
  GetKeyPolicy: read('GetKeyPolicy', { requestParameters: { keyId: KEY_ID, policyName: 'default' } }),
  GetKeyRotationStatus: read('GetKeyRotationStatus'),
  GetParametersForImport: read('GetParametersForImport', { requestParameters: { keyId: KEY_ID, wrappingAlgorithm: 'RSAES_OAEP_SHA_256', wrappingKeySpec: 'RSA_4096' } }),
  GetPublicKey: read('GetPublicKey'),
  ImportKeyMaterial: call('ImportKeyMaterial', {
    requestParameters: { keyId: KEY_ID, validTo: 'May 21, 2025, 5:47:45 AM', expirationModel: 'KEY_MATERIAL_EXPIRES', importType: 'NEW_KEY_MATERIAL', keyMaterialDescription: 'ExampleKeyMaterialA' },
    responseElements: { keyId: KEY_ARN, keyMaterialId: MATERIAL_B },
  }, KEY_ARN, MATERIAL_B),
  ListAliases: read('ListAliases', { requestParameters: null, ...noKey }, null),
  ListGrants: read('ListGrants'),
  ListKeyPolicies: read('ListKeyPolicies'),
  ListKeyRotations: read('ListKeyRotations', { requestParameters: { keyId: KEY_ID, includeKeyMaterial: 'ALL_KEY_MATERIAL' } }),
  ListKeys: read('ListKeys', { requestParameters: null, ...noKey }, null),
  ListResourceTags: read('ListResourceTags'),
  ListRetirableGrants: read('ListRetirableGrants', { requestParameters: { retiringPrincipal: role }, ...noKey }, null),
  PutKeyPolicy: call('PutKeyPolicy', { requestParameters: { keyId: KEY_ID, policyName: 'default', policy: '{"Version":"2012-10-17","Statement":[]}', bypassPolicyLockoutSafetyCheck: false } }),
  ReplicateKey: call('ReplicateKey', { requestParameters: { keyId: MRK_ARN, replicaRegion: 'eu-west-1', bypassPolicyLockoutSafetyCheck: false }, resources: [keyResource(MRK_ARN)] }, MRK_ARN),
  RetireGrant: call('RetireGrant', { requestParameters: { keyId: KEY_ARN, grantId }, responseElements: { keyId: KEY_ARN } }),
  RevokeGrant: call('RevokeGrant', { requestParameters: { keyId: KEY_ID, grantId } }),
  RotateKeyOnDemand: call('RotateKeyOnDemand', { responseElements: { keyId: KEY_ID } }, KEY_ARN, null),
  ScheduleKeyDeletion: call('ScheduleKeyDeletion', {
    requestParameters: { keyId: KEY_ID, pendingWindowInDays: 30 },
    responseElements: { keyId: KEY_ARN, deletionDate: 'Jun 20, 2025, 5:42:35 AM', keyState: 'PendingDeletion', pendingWindowInDays: 30 },
  }),
  TagResource: call('TagResource', { requestParameters: { keyId: KEY_ID, tags: [{ tagKey: 'Purpose', tagValue: 'Orders' }] } }),
  UntagResource: call('UntagResource', { requestParameters: { keyId: KEY_ID, tagKeys: ['Purpose'] } }),
  UpdateAlias: call('UpdateAlias', { requestParameters: { aliasName: 'alias/ExampleAlias', targetKeyId: KEY_ID }, responseElements: { keyId: KEY_ARN }, resources: [keyResource(ALIAS_ARN), keyResource(KEY_ARN)] }),
  UpdateCustomKeyStore: call('UpdateCustomKeyStore', { requestParameters: { ...cks, newCustomKeyStoreName: 'ExampleKeyStore2' }, ...noKey }, null),
  UpdateKeyDescription: call('UpdateKeyDescription', { requestParameters: { keyId: KEY_ID, description: 'orders, 2025' } }),
  UpdatePrimaryRegion: call('UpdatePrimaryRegion', { requestParameters: { keyId: MRK_ARN, primaryRegion: 'eu-west-1' }, resources: [keyResource(MRK_ARN)] }, MRK_ARN),

  // KMS's own service events.
  DeleteExpiredKeyMaterial: service('DeleteExpiredKeyMaterial', { serviceEventDetails: { keyId: KEY_ID, keyMaterialId: MATERIAL_A } }, KEY_ARN, MATERIAL_A),
  DeleteKey: service('DeleteKey', {}, KEY_ARN),
  RotateKey: service('RotateKey', { serviceEventDetails: { rotationType: 'AUTOMATIC', keyOrigin: 'AWS_KMS', previousKeyMaterialId: MATERIAL_A, currentKeyMaterialId: MATERIAL_B } }, KEY_ARN, MATERIAL_B),
  SynchronizeMultiRegionKey: service('SynchronizeMultiRegionKey', { awsRegion: 'eu-west-1', resources: [keyResource(MRK_ARN)] }, MRK_ARN),
};
