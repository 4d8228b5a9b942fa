import type { CallerIdentity } from '../kek/provider';
import type { CloudTrailRecord } from '../../model/cloudtrail-record';

/**
 * Pure builders of CloudTrail records for KMS calls, shaped as CloudTrail writes them
 * (field set, field order, value formats), so that the ingest path cannot tell the local
 * KMS's trail from a real one.
 */

export const CLOUDTRAIL_EVENT_VERSION = '1.11';
export const KMS_EVENT_SOURCE = 'kms.amazonaws.com';
export const SYMMETRIC_DEFAULT = 'SYMMETRIC_DEFAULT';

type JsonObject = Record<string, unknown>;

export type KmsUserIdentity = {
  type?: CallerIdentity['type'];
  principalId?: string;
  arn?: string;
  accountId?: string;
  accessKeyId?: string;
  userName?: string;
  sessionContext?: {
    sessionIssuer: { type: 'Role'; principalId: string; arn: string; accountId: string; userName: string };
    webIdFederationData: JsonObject;
    attributes: { creationDate: string; mfaAuthenticated: 'true' | 'false' };
  };
  invokedBy?: string;
};

export type KmsResource = { accountId: string; type: 'AWS::KMS::Key'; ARN: string };

/** A record as the local KMS writes it: the fields CloudTrail writes for KMS, in its order. */
export type KmsCloudTrailRecord = {
  eventVersion: string;
  userIdentity: KmsUserIdentity;
  eventTime: string;
  eventSource: typeof KMS_EVENT_SOURCE;
  eventName: string;
  awsRegion: string;
  sourceIPAddress: string;
  userAgent: string;
  errorCode?: string;
  errorMessage?: string;
  requestParameters: JsonObject | null;
  responseElements: JsonObject | null;
  additionalEventData?: JsonObject;
  requestID?: string;
  eventID: string;
  readOnly: boolean;
  resources: KmsResource[];
  eventType: 'AwsApiCall' | 'AwsServiceEvent';
  managementEvent: true;
  recipientAccountId: string;
  serviceEventDetails?: JsonObject;
  eventCategory: 'Management';
  tlsDetails?: { tlsVersion: string; cipherSuite: string; clientProvidedHostHeader: string };
};

// Compile-time proof that what we write is what the shared schema reads.
const _fitsSchema = (r: KmsCloudTrailRecord): CloudTrailRecord => r;
void _fitsSchema;

/** CloudTrail's eventTime: UTC, second precision, `Z`. */
export function formatEventTime(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** The date format KMS uses inside request/response elements: "May 20, 2025, 8:41:16 PM" (UTC). */
export function formatKmsDate(ms: number): string {
  const d = new Date(ms);
  const h24 = d.getUTCHours();
  const h12 = h24 % 12 === 0 ? 12 : h24 % 12;
  const mm = String(d.getUTCMinutes()).padStart(2, '0');
  const ss = String(d.getUTCSeconds()).padStart(2, '0');
  return `${MONTHS[d.getUTCMonth()]} ${d.getUTCDate()}, ${d.getUTCFullYear()}, ${h12}:${mm}:${ss} ${h24 < 12 ? 'AM' : 'PM'}`;
}

/**
 * KMS marks its cryptographic operations read-only too (they change no resource), which is
 * why CloudTrail's "exclude KMS events" option exists for read-event selectors.
 */
const READ_ONLY_EVENTS = new Set([
  'Decrypt',
  'Encrypt',
  'GenerateDataKey',
  'GenerateDataKeyWithoutPlaintext',
  'GenerateRandom',
  'ReEncrypt',
  'DescribeKey',
  'GetKeyPolicy',
  'GetKeyRotationStatus',
  'ListAliases',
  'ListGrants',
  'ListKeys',
  'ListKeyPolicies',
  'ListKeyRotations',
  'ListResourceTags',
  'ListRetirableGrants',
]);

export function isReadOnlyKmsEvent(eventName: string): boolean {
  return READ_ONLY_EVENTS.has(eventName);
}

/** The account id inside an ARN (`arn:partition:service:region:account:resource`). */
export function arnAccount(arn: string): string {
  return arn.split(':')[4] ?? '';
}

export function keyResource(arn: string): KmsResource {
  return { accountId: arnAccount(arn), type: 'AWS::KMS::Key', ARN: arn };
}

function lastPathSegment(arn: string): string {
  const resource = arn.split(':').slice(5).join(':');
  return resource.slice(resource.lastIndexOf('/') + 1);
}

/**
 * userIdentity for a caller. Assumed-role sessions carry the role as session issuer; the
 * session's creation time is not part of CallerIdentity, so it is taken as the start of
 * the hour of the call (STS sessions default to one hour), which keeps it deterministic.
 */
export function buildUserIdentity(caller: CallerIdentity, eventTimeMs: number): KmsUserIdentity {
  if (caller.type === 'AWSService') {
    // Service principals belong to no account: CloudTrail writes only the type and the service.
    return { type: 'AWSService', invokedBy: caller.invokedBy ?? caller.arn };
  }
  const id: KmsUserIdentity = { type: caller.type, principalId: caller.principalId, arn: caller.arn, accountId: caller.accountId };
  if (caller.accessKeyId) id.accessKeyId = caller.accessKeyId;
  if (caller.type === 'IAMUser') id.userName = lastPathSegment(caller.arn);
  if (caller.type === 'AssumedRole' && caller.roleArn) {
    id.sessionContext = {
      sessionIssuer: {
        type: 'Role',
        principalId: caller.principalId.split(':')[0] ?? caller.principalId,
        arn: caller.roleArn,
        accountId: arnAccount(caller.roleArn) || caller.accountId,
        userName: lastPathSegment(caller.roleArn),
      },
      webIdFederationData: {},
      attributes: { creationDate: formatEventTime(Math.floor(eventTimeMs / 3_600_000) * 3_600_000), mfaAuthenticated: 'false' },
    };
  }
  if (caller.invokedBy) id.invokedBy = caller.invokedBy;
  return id;
}

export interface KmsApiCallInput {
  eventName: string;
  eventTimeMs: number;
  region: string;
  recipientAccountId: string;
  caller: CallerIdentity;
  requestParameters: JsonObject | null;
  /** Null for data-plane calls, reads and most failures, as KMS writes them. */
  responseElements: JsonObject | null;
  additionalEventData?: JsonObject;
  /** Key ARNs the call touched, in CloudTrail's order (ReEncrypt: source, then destination). */
  resourceArns: readonly string[];
  requestId: string;
  eventId: string;
  /** Defaults to KMS's classification of the event name. */
  readOnly?: boolean;
  error?: { code: string; message: string };
}

/** A record of a KMS API call, successful or not. */
export function buildKmsApiCallRecord(input: KmsApiCallInput): KmsCloudTrailRecord {
  const { caller } = input;
  const record: KmsCloudTrailRecord = {
    eventVersion: CLOUDTRAIL_EVENT_VERSION,
    userIdentity: buildUserIdentity(caller, input.eventTimeMs),
    eventTime: formatEventTime(input.eventTimeMs),
    eventSource: KMS_EVENT_SOURCE,
    eventName: input.eventName,
    awsRegion: input.region,
    sourceIPAddress: caller.sourceIp,
    userAgent: caller.userAgent,
    ...(input.error ? { errorCode: input.error.code, errorMessage: input.error.message } : {}),
    requestParameters: input.requestParameters,
    responseElements: input.responseElements,
    ...(input.additionalEventData && !input.error ? { additionalEventData: input.additionalEventData } : {}),
    requestID: input.requestId,
    eventID: input.eventId,
    readOnly: input.readOnly ?? isReadOnlyKmsEvent(input.eventName),
    resources: uniqueResources(input.resourceArns),
    eventType: 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: input.recipientAccountId,
    eventCategory: 'Management',
  };
  // Calls that a service makes on a principal's behalf arrive over AWS's internal network.
  if (caller.type !== 'AWSService' && !caller.invokedBy) {
    record.tlsDetails = { tlsVersion: 'TLSv1.3', cipherSuite: 'TLS_AES_128_GCM_SHA256', clientProvidedHostHeader: `kms.${input.region}.amazonaws.com` };
  }
  return record;
}

export interface KmsServiceEventInput {
  eventName: 'RotateKey' | 'DeleteKey' | 'DeleteExpiredKeyMaterial';
  eventTimeMs: number;
  region: string;
  accountId: string;
  resourceArns: readonly string[];
  eventId: string;
  serviceEventDetails?: JsonObject;
  additionalEventData?: JsonObject;
}

/** A record of something KMS did by itself (automatic rotation, end of a deletion window). */
export function buildKmsServiceEventRecord(input: KmsServiceEventInput): KmsCloudTrailRecord {
  return {
    eventVersion: CLOUDTRAIL_EVENT_VERSION,
    userIdentity: { accountId: input.accountId, invokedBy: 'AWS Internal' },
    eventTime: formatEventTime(input.eventTimeMs),
    eventSource: KMS_EVENT_SOURCE,
    eventName: input.eventName,
    awsRegion: input.region,
    sourceIPAddress: 'AWS Internal',
    userAgent: 'AWS Internal',
    requestParameters: null,
    responseElements: null,
    ...(input.additionalEventData ? { additionalEventData: input.additionalEventData } : {}),
    eventID: input.eventId,
    readOnly: false,
    resources: uniqueResources(input.resourceArns),
    eventType: 'AwsServiceEvent',
    managementEvent: true,
    recipientAccountId: input.accountId,
    ...(input.serviceEventDetails ? { serviceEventDetails: input.serviceEventDetails } : {}),
    eventCategory: 'Management',
  };
}

function uniqueResources(arns: readonly string[]): KmsResource[] {
  return [...new Set(arns)].map(keyResource);
}
