import { z } from 'zod';

export const KEY_STATES = ['Enabled', 'Disabled', 'PendingDeletion', 'PendingImport', 'Unavailable', 'Deleted', 'Unknown'] as const;
export type KeyStateName = (typeof KEY_STATES)[number];

const Time = z.iso.datetime({ offset: true });

/**
 * When each part of a key state was last set: the time of the event that set it, or of
 * the refresh from KMS that read it. What lets events that arrive out of order (and a
 * restart, which starts from the stored state) merge to the same answer in any order:
 * a fact replaces another only when it is newer.
 */
export const KeyStateAsOfSchema = z
  .object({
    state: Time.nullable(),
    rotation: Time.nullable(),
    currentVersion: Time.nullable(),
    /** Key material id → when it was first seen. */
    versions: z.record(z.string().max(256), Time),
    /** Alias name → when it last pointed here or stopped pointing here (removed aliases stay, so a late older event cannot revive them). */
    aliases: z.record(z.string().max(256), Time),
  })
  .strict();
export type KeyStateAsOf = z.infer<typeof KeyStateAsOfSchema>;

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
    /** Last PutKeyPolicy seen. */
    policyUpdatedAt: Time.nullable().optional(),
    /** For a multi-Region replica (ReplicateKey): its primary key. */
    primaryKeyArn: z.string().max(2048).nullable().optional(),
    /** Absent on states written before the inventory tracked it; see KeyStateAsOfSchema. */
    asOf: KeyStateAsOfSchema.optional(),
    /** The newest fact in this state (event time or refresh time): the store keeps the state with the later updatedAt. */
    updatedAt: z.iso.datetime({ offset: true }),
  })
  .strict();
export type KeyState = z.infer<typeof KeyStateSchema>;
