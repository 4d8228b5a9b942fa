import { createHash } from 'node:crypto';

/**
 * CloudTrail records for KMS shaped like the examples in the AWS KMS developer guide
 * ("AWS KMS log entries"): the same fields, order and value formats, with our own values.
 */

export const ACCOUNT = '111122223333';
export const OTHER_ACCOUNT = '444455556666';
export const REGION = 'us-west-2';
export const KEY_ID = '1234abcd-12ab-34cd-56ef-1234567890ab';
export const KEY_ARN = `arn:aws:kms:${REGION}:${ACCOUNT}:key/${KEY_ID}`;
export const KEY2_ID = '0987dcba-09fe-87dc-65ba-ab0987654321';
export const KEY2_ARN = `arn:aws:kms:${REGION}:${ACCOUNT}:key/${KEY2_ID}`;
export const MRK_ID = 'mrk-1234abcd12ab34cd56ef1234567890ab';
export const MRK_ARN = `arn:aws:kms:${REGION}:${ACCOUNT}:key/${MRK_ID}`;
export const ALIAS_ARN = `arn:aws:kms:${REGION}:${ACCOUNT}:alias/ExampleAlias`;
export const MATERIAL_A = '123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0';
export const MATERIAL_B = '96083e4fb6dbc41d77578a213a6b6669c044dd4c143e96755396d2bf11fd6068';

type Json = Record<string, unknown>;

/** A v4-shaped UUID derived from a label, so fixtures are deterministic yet look like CloudTrail's ids. */
export function uuidFor(label: string): string {
  const h = createHash('sha256').update(label).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export function keyResource(arn: string, accountId = ACCOUNT): Json {
  return { accountId, type: 'AWS::KMS::Key', ARN: arn };
}

export const identities = {
  alice: { type: 'IAMUser', principalId: 'AIDACKCEVSQ6C2EXAMPLE', arn: `arn:aws:iam::${ACCOUNT}:user/Alice`, accountId: ACCOUNT, accessKeyId: 'AKIAIOSFODNN7EXAMPLE', userName: 'Alice' },
  assumedRole: (account = ACCOUNT, role = 'OrdersService', session = 'orders-7f3c') => ({
    type: 'AssumedRole',
    principalId: `AROAIDPPEZS35WEXAMPLE:${session}`,
    arn: `arn:aws:sts::${account}:assumed-role/${role}/${session}`,
    accountId: account,
    accessKeyId: 'ASIAIOSFODNN7EXAMPLE',
    sessionContext: {
      sessionIssuer: { type: 'Role', principalId: 'AROAIDPPEZS35WEXAMPLE', arn: `arn:aws:iam::${account}:role/${role}`, accountId: account, userName: role },
      webIdFederationData: {},
      attributes: { creationDate: '2025-05-21T05:12:09Z', mfaAuthenticated: 'false' },
      ec2RoleDelivery: '2.0',
    },
  }),
  root: { type: 'Root', principalId: ACCOUNT, arn: `arn:aws:iam::${ACCOUNT}:root`, accountId: ACCOUNT, accessKeyId: 'ASIAI44QH8DHBEXAMPLE' },
  /** A service principal calling for itself (e.g. CloudTrail encrypting its log files). */
  awsService: (invokedBy: string) => ({ type: 'AWSService', invokedBy }),
  /** What KMS writes on its own service events: no type. */
  awsInternal: { accountId: ACCOUNT, invokedBy: 'AWS Internal' },
} as const;

const TLS = { tlsVersion: 'TLSv1.3', cipherSuite: 'TLS_AES_128_GCM_SHA256', clientProvidedHostHeader: `kms.${REGION}.amazonaws.com` };

export interface KmsRecordInput {
  eventName: string;
  /** Distinguishes records built for the same event name (it seeds eventID and requestID). */
  label?: string;
  eventVersion?: string;
  userIdentity?: Json;
  eventTime?: string;
  awsRegion?: string;
  sourceIPAddress?: string;
  userAgent?: string;
  requestParameters?: Json | null;
  responseElements?: Json | null;
  additionalEventData?: Json;
  readOnly?: boolean;
  resources?: Json[];
  recipientAccountId?: string;
  serviceEventDetails?: Json;
}

/** An AwsApiCall record of a KMS call, with CloudTrail's field order. */
export function kmsApiCall(input: KmsRecordInput): Json {
  const label = input.label ?? input.eventName;
  return {
    eventVersion: input.eventVersion ?? '1.11',
    userIdentity: input.userIdentity ?? identities.alice,
    eventTime: input.eventTime ?? '2025-05-21T05:42:35Z',
    eventSource: 'kms.amazonaws.com',
    eventName: input.eventName,
    awsRegion: input.awsRegion ?? REGION,
    sourceIPAddress: input.sourceIPAddress ?? '192.0.2.0',
    userAgent: input.userAgent ?? 'aws-cli/2.17.20 md/awscrt#0.20.11 ua/2.0 os/linux#6.1.0 md/arch#x86_64 lang/python#3.11.9 md/pyimpl#CPython cfg/retry-mode#standard md/installer#exe md/distrib#debian.12 md/prompt#off md/command#kms.' + input.eventName.toLowerCase(),
    requestParameters: input.requestParameters === undefined ? { keyId: KEY_ID } : input.requestParameters,
    responseElements: input.responseElements ?? null,
    ...(input.additionalEventData ? { additionalEventData: input.additionalEventData } : {}),
    requestID: uuidFor(`request:${label}`),
    eventID: uuidFor(`event:${label}`),
    readOnly: input.readOnly ?? false,
    resources: input.resources ?? [keyResource(KEY_ARN)],
    eventType: 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: input.recipientAccountId ?? ACCOUNT,
    eventCategory: 'Management',
    tlsDetails: TLS,
  };
}

/** An AwsServiceEvent: something KMS did by itself (RotateKey, DeleteKey, ...). */
export function kmsServiceEvent(input: KmsRecordInput): Json {
  const label = input.label ?? input.eventName;
  return {
    eventVersion: input.eventVersion ?? '1.11',
    userIdentity: input.userIdentity ?? identities.awsInternal,
    eventTime: input.eventTime ?? '2025-05-20T20:44:37Z',
    eventSource: 'kms.amazonaws.com',
    eventName: input.eventName,
    awsRegion: input.awsRegion ?? REGION,
    sourceIPAddress: 'AWS Internal',
    userAgent: 'AWS Internal',
    requestParameters: null,
    responseElements: input.responseElements ?? null,
    ...(input.additionalEventData ? { additionalEventData: input.additionalEventData } : {}),
    eventID: uuidFor(`event:${label}`),
    readOnly: false,
    resources: input.resources ?? [keyResource(KEY_ARN)],
    eventType: 'AwsServiceEvent',
    managementEvent: true,
    recipientAccountId: input.recipientAccountId ?? ACCOUNT,
    ...(input.serviceEventDetails ? { serviceEventDetails: input.serviceEventDetails } : {}),
    eventCategory: 'Management',
  };
}

/**
 * The same call, failed: KMS writes errorCode and errorMessage after userAgent, a null
 * responseElements and no additionalEventData.
 */
export function failed(record: Json, errorCode: string, errorMessage: string): Json {
  const out: Json = {};
  for (const [k, v] of Object.entries(record)) {
    if (k === 'additionalEventData') continue;
    out[k] = k === 'responseElements' ? null : v;
    if (k === 'userAgent') Object.assign(out, { errorCode, errorMessage });
  }
  out.eventID = uuidFor(`failed:${String(record.eventID)}:${errorCode}`);
  return out;
}

/** A record of another service, as S3 data events write it. */
export function s3PutObject(): Json {
  return {
    eventVersion: '1.10',
    userIdentity: identities.assumedRole(),
    eventTime: '2025-05-21T05:42:36Z',
    eventSource: 's3.amazonaws.com',
    eventName: 'PutObject',
    awsRegion: REGION,
    sourceIPAddress: '198.51.100.23',
    userAgent: '[aws-sdk-java/2.25.40 Linux/6.1.0 OpenJDK_64-Bit_Server_VM/21.0.3+9-LTS Java/21.0.3]',
    requestParameters: { bucketName: 'orders-archive', Host: 'orders-archive.s3.us-west-2.amazonaws.com', key: '2025/05/21/order-88121.json' },
    responseElements: { 'x-amz-server-side-encryption': 'aws:kms', 'x-amz-server-side-encryption-aws-kms-key-id': KEY_ARN },
    additionalEventData: { SignatureVersion: 'SigV4', bytesTransferredIn: 1832, 'x-amz-id-2': 'Q2hlY2sgb3V0IHRoZSBkb2NzIQ==' },
    requestID: 'C3D13FE58DE4C810',
    eventID: uuidFor('event:s3-put'),
    readOnly: false,
    resources: [{ type: 'AWS::S3::Object', ARN: 'arn:aws:s3:::orders-archive/2025/05/21/order-88121.json' }],
    eventType: 'AwsApiCall',
    managementEvent: false,
    recipientAccountId: ACCOUNT,
    eventCategory: 'Data',
  };
}
