import { z } from 'zod';

export const KEY_STATES = ['Enabled', 'Disabled', 'PendingDeletion', 'PendingImport', 'Unavailable', 'Deleted', 'Unknown'] as const;
export type KeyStateName = (typeof KEY_STATES)[number];

const Time = z.iso.datetime({ offset: true });

/**
 * When each part of a key state was last set: the time of the event that set it, or of
 * the refresh from KMS that read it. A fact replaces another only when it is newer, so
 * states merge to the same answer in any order (lib/model/key-state-merge.ts). Facts that
 * only grow need no time: first use (earliest), last use, last rotation and policy change
 * (latest), versions (each one's first sighting).
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
    /** When KMS reported createdAt (a refresh); null when only events gave it, and then the earliest wins. */
    createdAt: Time.nullable().optional(),
    primaryKeyArn: Time.nullable().optional(),
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
    /** Written at minute resolution, so that a busy key is not rewritten every batch. */
    lastUsedAt: z.iso.datetime({ offset: true }).nullable(),
    /** Last PutKeyPolicy seen. */
    policyUpdatedAt: Time.nullable().optional(),
    /** For a multi-Region replica (ReplicateKey): its primary key. */
    primaryKeyArn: z.string().max(2048).nullable().optional(),
    /** Absent on states written before the inventory tracked it: their facts count as known at updatedAt. */
    asOf: KeyStateAsOfSchema.optional(),
    /** The newest fact in this state (event time or refresh time); merged as the latest. */
    updatedAt: z.iso.datetime({ offset: true }),
  })
  .strict();
export type KeyState = z.infer<typeof KeyStateSchema>;
