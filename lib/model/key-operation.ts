import { z } from 'zod';
import { ERROR_CLASSES } from './error-classes';
import { canonicalKeyArnOf } from './kek-ref';

export const KEY_OPERATION_KINDS = ['generate_data_key', 'wrap', 'unwrap', 'encrypt', 'decrypt', 'rewrap'] as const;
export type KeyOperationKind = (typeof KEY_OPERATION_KINDS)[number];

/**
 * One application-side operation, as the envelope engine (or any instrumented
 * application) reports it. `id` is the emitter's UUID, so writing it twice changes nothing.
 */
export const KeyOperationSchema = z
  .object({
    id: z.uuid(),
    time: z.iso.datetime({ offset: true }),
    service: z.string().min(1).max(128),
    tenant: z.string().min(1).max(128),
    operation: z.enum(KEY_OPERATION_KINDS),
    /** KEK key ARN (or key id where the emitter has no ARN). */
    kekId: z.string().min(1).max(2048),
    /** KEK version: the key material id the key manager used, where known. */
    kekVersion: z.string().min(1).max(256).nullable(),
    dekId: z.string().min(1).max(128).nullable(),
    objectId: z.string().min(1).max(1024).nullable(),
    outcome: z.enum(['success', 'failure']),
    errorClass: z.enum(ERROR_CLASSES).nullable(),
    /** The key manager's error code where there was one (e.g. ThrottlingException). */
    errorCode: z.string().max(128).nullable(),
    latencyMs: z.number().nonnegative().finite(),
    /** DEK cache hit for operations that consult a cache; null where none applies. */
    cacheHit: z.boolean().nullable(),
    bytes: z.number().int().nonnegative(),
    traceId: z.string().min(1).max(128),
    principal: z.string().max(2048).nullable(),
    region: z.string().max(64).nullable(),
    accountId: z.string().max(32).nullable(),
    /**
     * The key manager's request id of the call behind this operation (AWS KMS's
     * `x-amzn-RequestId`, CloudTrail's `requestID`), which joins an application's call to
     * its audit record. Absent or null where no call was made (a DEK cache hit) or the
     * emitter does not know it.
     */
    kmsRequestId: z.string().min(1).max(128).nullable().optional(),
  })
  .strict()
  .refine((op) => (op.outcome === 'failure') === (op.errorClass !== null), {
    message: 'errorClass is required on failures and must be null on successes',
    path: ['errorClass'],
  });
export type KeyOperation = z.infer<typeof KeyOperationSchema>;

/**
 * The canonical ARN of the KEK an operation used, where it can be known: kekId as written
 * when it is a key ARN, else completed with the operation's account and Region (a bare key
 * id); null for aliases and ids of other key managers (lib/model/kek-ref.ts).
 */
export function operationKeyArn(op: Pick<KeyOperation, 'kekId' | 'region' | 'accountId'>): string | null {
  return canonicalKeyArnOf(op.kekId, { region: op.region, accountId: op.accountId });
}
