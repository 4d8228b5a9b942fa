import { z } from 'zod';
import { EncryptionContextSchema } from './encryption-context';

/** CloudTrail's userIdentity types (docs/cloudtrail.md); a type AWS adds later reads as Unknown until it is added here. */
export const PRINCIPAL_TYPES = [
  'AssumedRole', 'IAMUser', 'Root', 'Role', 'AWSService', 'AWSAccount', 'FederatedUser', 'IdentityCenterUser',
  'Directory', 'SAMLUser', 'WebIdentityUser', 'Unknown',
] as const;
export type PrincipalType = (typeof PRINCIPAL_TYPES)[number];

/**
 * One KMS API call from the key manager's audit trail, normalized from a CloudTrail
 * record. `id` is CloudTrail's eventID, so storing a record twice changes nothing.
 */
export const AuditEventSchema = z
  .object({
    id: z.string().min(1).max(128),
    time: z.iso.datetime({ offset: true }),
    eventName: z.string().min(1).max(128),
    /** CloudTrail's eventType as written (AwsApiCall, AwsServiceEvent, ... and types AWS adds later); null when absent. */
    eventType: z.string().min(1).max(64).nullable(),
    /** Whether the call only read (CloudTrail's readOnly). */
    readOnly: z.boolean().nullable(),
    /** Management-plane call (CreateKey, PutKeyPolicy, ...) rather than a cryptographic one. */
    management: z.boolean(),
    /** Key ARN the call acted on; from resources[] first, as Decrypt rarely names it in requestParameters. */
    keyArn: z.string().max(2048).nullable(),
    /** Key id (UUID part of the ARN), for joins with key operations that carry only the id. */
    keyId: z.string().max(256).nullable(),
    /** KEK version: additionalEventData.keyMaterialId where CloudTrail gives it; for RotateKey the new current material. */
    keyMaterialId: z.string().max(256).nullable(),
    /** For RotateKey: the material that was current before (serviceEventDetails.previousKeyMaterialId). */
    previousKeyMaterialId: z.string().max(256).nullable(),
    /**
     * ReEncrypt's source side (keyArn, keyId, keyMaterialId and encryptionContext above are
     * the destination's, where the data now lives); null for every other call. Kept so that
     * a search or blast radius by the source key or version finds the ReEncrypts that opened it.
     */
    reEncryptSource: z
      .object({
        keyArn: z.string().max(2048).nullable(),
        keyId: z.string().max(256).nullable(),
        keyMaterialId: z.string().max(256).nullable(),
        encryptionContext: EncryptionContextSchema.nullable(),
      })
      .strict()
      .nullable(),
    principal: z.object({
      type: z.enum(PRINCIPAL_TYPES),
      /**
       * Who called, stable across sessions, by one rule for every identity type
       * (docs/cloudtrail.md): an assumed role's role ARN, a user's ARN, a service's name, an
       * account's id. Null only when the record names no caller at all.
       */
      name: z.string().max(2048).nullable(),
      /** ARN of the caller; for assumed roles the session ARN. */
      arn: z.string().max(2048).nullable(),
      accountId: z.string().max(32).nullable(),
      principalId: z.string().max(512).nullable(),
      accessKeyId: z.string().max(128).nullable(),
      /** For assumed roles: the role (session issuer) ARN, which is stable across sessions. */
      roleArn: z.string().max(2048).nullable(),
      /** AWS service that made the call on the principal's behalf (invokedBy), or "AWS Internal". */
      invokedBy: z.string().max(256).nullable(),
    }),
    sourceIp: z.string().max(256).nullable(),
    userAgent: z.string().max(4096).nullable(),
    /** awsRegion; null when the record lacks it. */
    region: z.string().min(1).max(64).nullable(),
    /** Account that owns the trail (recipientAccountId). */
    accountId: z.string().max(32).nullable(),
    /** True when the caller's account differs from the key's (either key, for ReEncrypt). */
    crossAccount: z.boolean(),
    outcome: z.enum(['success', 'failure']),
    errorCode: z.string().max(256).nullable(),
    errorMessage: z.string().max(4096).nullable(),
    encryptionContext: EncryptionContextSchema.nullable(),
    requestId: z.string().max(256).nullable(),
    /** The CloudTrail record as received, for evidence and re-normalization. */
    raw: z.record(z.string(), z.unknown()),
  })
  .strict();
export type AuditEvent = z.infer<typeof AuditEventSchema>;
