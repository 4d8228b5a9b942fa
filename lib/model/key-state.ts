import { z } from 'zod';

export const KEY_STATES = ['Enabled', 'Disabled', 'PendingDeletion', 'PendingImport', 'Unavailable', 'Deleted', 'Unknown'] as const;

/** Inventory of one KEK, derived from management events (and the key manager where configured). */
export const KeyStateSchema = z
  .object({
    keyArn: z.string().min(1).max(2048),
    keyId: z.string().min(1).max(256),
    accountId: z.string().max(32).nullable(),
    region: z.string().max(64).nullable(),
    aliases: z.array(z.string().max(256)),
    state: z.enum(KEY_STATES),
    rotationEnabled: z.boolean().nullable(),
    rotationPeriodDays: z.number().int().positive().nullable(),
    lastRotatedAt: z.iso.datetime({ offset: true }).nullable(),
    currentVersion: z.string().max(256).nullable(),
    /** Every KEK version (key material id) seen, oldest first. */
    versions: z.array(z.string().max(256)),
    createdAt: z.iso.datetime({ offset: true }).nullable(),
    deletionDate: z.iso.datetime({ offset: true }).nullable(),
    firstUsedAt: z.iso.datetime({ offset: true }).nullable(),
    lastUsedAt: z.iso.datetime({ offset: true }).nullable(),
    updatedAt: z.iso.datetime({ offset: true }),
  })
  .strict();
export type KeyState = z.infer<typeof KeyStateSchema>;
