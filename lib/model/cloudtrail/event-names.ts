/**
 * Every KMS event name CloudTrail writes, with the plane it belongs to. One list, so that
 * the normalizer, the key inventory and the dashboard's filters agree on what
 * "management" means.
 */

/** Cryptographic operations: what applications do with keys (KMS's "data plane"). */
const DATA_PLANE = [
  'Decrypt',
  'DeriveSharedSecret',
  'Encrypt',
  'GenerateDataKey',
  'GenerateDataKeyPair',
  'GenerateDataKeyPairWithoutPlaintext',
  'GenerateDataKeyWithoutPlaintext',
  'GenerateMac',
  'GenerateRandom',
  'ReEncrypt',
  'Sign',
  'Verify',
  'VerifyMac',
] as const;

/** API calls that manage keys, aliases, grants, policies, tags, imports and custom key stores. */
const MANAGEMENT_API = [
  'CancelKeyDeletion',
  'ConnectCustomKeyStore',
  'CreateAlias',
  'CreateCustomKeyStore',
  'CreateGrant',
  'CreateKey',
  'DeleteAlias',
  'DeleteCustomKeyStore',
  'DeleteImportedKeyMaterial',
  'DescribeCustomKeyStores',
  'DescribeKey',
  'DisableKey',
  'DisableKeyRotation',
  'DisconnectCustomKeyStore',
  'EnableKey',
  'EnableKeyRotation',
  'GetKeyPolicy',
  'GetKeyRotationStatus',
  'GetParametersForImport',
  // Not a cryptographic operation: it reads a key's public half, like DescribeKey.
  'GetPublicKey',
  'ImportKeyMaterial',
  'ListAliases',
  'ListGrants',
  'ListKeyPolicies',
  'ListKeyRotations',
  'ListKeys',
  'ListResourceTags',
  'ListRetirableGrants',
  'PutKeyPolicy',
  'ReplicateKey',
  'RetireGrant',
  'RevokeGrant',
  'RotateKeyOnDemand',
  'ScheduleKeyDeletion',
  'TagResource',
  'UntagResource',
  'UpdateAlias',
  'UpdateCustomKeyStore',
  'UpdateKeyDescription',
  'UpdatePrimaryRegion',
] as const;

/** What KMS does by itself (eventType AwsServiceEvent, no userIdentity.type). */
const SERVICE_EVENTS = ['DeleteExpiredKeyMaterial', 'DeleteKey', 'RotateKey', 'SynchronizeMultiRegionKey'] as const;

export type KmsEventName = (typeof DATA_PLANE)[number] | (typeof MANAGEMENT_API)[number] | (typeof SERVICE_EVENTS)[number];

export interface KmsEventInfo {
  /** Management plane (keys, policies, grants, rotation) rather than a cryptographic operation. */
  management: boolean;
  /** Written by KMS itself rather than in answer to a request. */
  serviceEvent: boolean;
  /** In the list above; false for names AWS added after it was written. */
  known: boolean;
}

function entries(names: readonly string[], info: KmsEventInfo): Array<[string, KmsEventInfo]> {
  const shared = Object.freeze(info);
  return names.map((n) => [n, shared]);
}

const CATALOG: ReadonlyMap<string, KmsEventInfo> = new Map([
  ...entries(DATA_PLANE, { management: false, serviceEvent: false, known: true }),
  ...entries(MANAGEMENT_API, { management: true, serviceEvent: false, known: true }),
  ...entries(SERVICE_EVENTS, { management: true, serviceEvent: true, known: true }),
]);

export const KMS_EVENT_NAMES: readonly KmsEventName[] = [...DATA_PLANE, ...MANAGEMENT_API, ...SERVICE_EVENTS];

/**
 * Names AWS adds later are taken as management events. CloudTrail cannot tell us: it
 * files every KMS event under managementEvent=true, and marks cryptographic calls
 * readOnly like Describe/List calls. New KMS APIs are mostly control-plane, and an
 * unknown call shown among management events stays visible to the security views,
 * whereas one hidden among millions of Decrypts would not.
 */
const UNKNOWN: KmsEventInfo = Object.freeze({ management: true, serviceEvent: false, known: false });

export function kmsEventInfo(eventName: string): KmsEventInfo {
  return CATALOG.get(eventName) ?? UNKNOWN;
}
