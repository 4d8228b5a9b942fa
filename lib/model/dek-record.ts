import { z } from 'zod';
import { EncryptionContextSchema } from './encryption-context';

export const ROTATION_STATUSES = ['current', 'pending_rewrap', 'rewrapped', 'reencrypted', 'compromised'] as const;
export type RotationStatus = (typeof ROTATION_STATUSES)[number];

/**
 * Which DEK (under which KEK version) protects which object: the mapping index that
 * blast-radius and rotation-backlog questions read. Keyed by object id; a later
 * `updatedAt` supersedes an earlier one (a rewrap rewrites the record).
 */
export const DekRecordSchema = z
  .object({
    objectId: z.string().min(1).max(1024),
    objectPath: z.string().min(1).max(4096),
    dekId: z.string().min(1).max(128),
    kekId: z.string().min(1).max(2048),
    kekVersion: z.string().min(1).max(256).nullable(),
    tenant: z.string().min(1).max(128),
    service: z.string().min(1).max(128),
    encryptionContext: EncryptionContextSchema,
    bytes: z.number().int().nonnegative(),
    encryptedAt: z.iso.datetime({ offset: true }),
    updatedAt: z.iso.datetime({ offset: true }),
    rotationStatus: z.enum(ROTATION_STATUSES),
  })
  .strict();
export type DekRecord = z.infer<typeof DekRecordSchema>;
