import { z } from 'zod';

/**
 * One CloudTrail record as CloudTrail writes it (log files, LookupEvents' CloudTrailEvent,
 * EventBridge detail), following AWS's "CloudTrail record contents" reference.
 *
 * Written both by keyscope's local KMS and by AWS, and read by the ingest normalizer, so
 * it is strict where CloudTrail guarantees something (types, required fields) and open
 * where CloudTrail grows (objects are loose: new minor versions add fields, and
 * applications are told to ignore fields they do not know).
 */

/** `YYYY-MM-DDTHH:MM:SSZ`; CloudTrail writes UTC, without fractions, but be lenient on fractions. */
const UtcTime = z.iso.datetime();

const SessionIssuerSchema = z.looseObject({
  type: z.string().min(1),
  principalId: z.string().optional(),
  arn: z.string().optional(),
  accountId: z.string().optional(),
  userName: z.string().optional(),
});

const SessionContextSchema = z.looseObject({
  sessionIssuer: SessionIssuerSchema.optional(),
  webIdFederationData: z.looseObject({}).optional(),
  attributes: z
    .looseObject({
      creationDate: UtcTime.optional(),
      // CloudTrail writes the flag as a string.
      mfaAuthenticated: z.enum(['true', 'false']).optional(),
    })
    .optional(),
  sourceIdentity: z.string().optional(),
});

/**
 * Who made the request. `type` is absent on AwsServiceEvent records (e.g. KMS's own
 * automatic RotateKey and DeleteKey), which carry only accountId and invokedBy.
 */
export const CloudTrailUserIdentitySchema = z.looseObject({
  type: z.string().min(1).optional(),
  principalId: z.string().optional(),
  arn: z.string().optional(),
  accountId: z.string().optional(),
  accessKeyId: z.string().optional(),
  userName: z.string().optional(),
  sessionContext: SessionContextSchema.optional(),
  invokedBy: z.string().optional(),
  credentialId: z.string().optional(),
});
export type CloudTrailUserIdentity = z.infer<typeof CloudTrailUserIdentitySchema>;

export const CloudTrailResourceSchema = z.looseObject({
  ARN: z.string().optional(),
  accountId: z.string().optional(),
  type: z.string().optional(),
});

const TlsDetailsSchema = z.looseObject({
  tlsVersion: z.string().optional(),
  cipherSuite: z.string().optional(),
  clientProvidedHostHeader: z.string().optional(),
});

const ObjectOrNull = z.record(z.string(), z.unknown()).nullable();

export const CLOUDTRAIL_EVENT_TYPES = [
  'AwsApiCall',
  'AwsServiceEvent',
  'AwsConsoleAction',
  'AwsConsoleSignIn',
  'AwsCloudTrailInsight',
  'AwsVpceEvent',
] as const;

export const CloudTrailRecordSchema = z
  .looseObject({
    eventVersion: z.string().regex(/^\d+\.\d+$/, 'major.minor'),
    userIdentity: CloudTrailUserIdentitySchema,
    eventTime: UtcTime,
    eventSource: z.string().min(1),
    eventName: z.string().min(1),
    awsRegion: z.string().min(1),
    sourceIPAddress: z.string().min(1),
    userAgent: z.string().optional(),
    errorCode: z.string().min(1).optional(),
    errorMessage: z.string().optional(),
    requestParameters: ObjectOrNull.optional(),
    responseElements: ObjectOrNull.optional(),
    additionalEventData: z.record(z.string(), z.unknown()).optional(),
    requestID: z.string().min(1).optional(),
    eventID: z.uuid(),
    readOnly: z.boolean().optional(),
    resources: z.array(CloudTrailResourceSchema).optional(),
    eventType: z.enum(CLOUDTRAIL_EVENT_TYPES),
    apiVersion: z.string().optional(),
    managementEvent: z.boolean().optional(),
    recipientAccountId: z.string().min(1),
    serviceEventDetails: z.record(z.string(), z.unknown()).optional(),
    sharedEventID: z.uuid().optional(),
    vpcEndpointId: z.string().optional(),
    eventCategory: z.string().optional(),
    tlsDetails: TlsDetailsSchema.optional(),
    sessionCredentialFromConsole: z.string().optional(),
  })
  .superRefine((r, ctx) => {
    // An API call always names the kind of identity that made it.
    if (r.eventType === 'AwsApiCall' && r.userIdentity.type === undefined) {
      ctx.addIssue({ code: 'custom', message: 'AwsApiCall records carry userIdentity.type', path: ['userIdentity', 'type'] });
    }
    if (r.errorMessage !== undefined && r.errorCode === undefined) {
      ctx.addIssue({ code: 'custom', message: 'errorMessage without errorCode', path: ['errorCode'] });
    }
  });
export type CloudTrailRecord = z.infer<typeof CloudTrailRecordSchema>;

/** The body of a delivered log file (`*.json.gz`). */
export const CloudTrailLogFileSchema = z.object({ Records: z.array(CloudTrailRecordSchema) });
export type CloudTrailLogFile = z.infer<typeof CloudTrailLogFileSchema>;
