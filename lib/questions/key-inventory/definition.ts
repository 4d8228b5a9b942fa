import { ANALYST_ROLES } from '../../auth/roles';
import { z } from 'zod';
import { KEY_STATES, KeyStateSchema, type KeyState } from '../../model/key-state';
import { IsoTime, checkTimeRange, timeRangeShape } from '../common';
import { defineQuestion, type ParamsOf, type ResultOf } from '../define';

const Count = z.number().int().nonnegative();

/** One key of the inventory, as the page shows it: its state and who used it most in the range. */
export const KeyInventoryRowSchema = KeyStateSchema.omit({ asOf: true, policyUpdatedAt: true, primaryKeyArn: true }).extend({
  policyUpdatedAt: IsoTime.nullable(),
  primaryKeyArn: z.string().nullable(),
  /**
   * Callers of the key's cryptographic operations in [from, to), most calls first: the
   * role for assumed-role sessions (stable across sessions), else the caller's ARN, else
   * the AWS service that called.
   */
  topPrincipals: z.array(z.object({ principal: z.string(), calls: Count, failures: Count })),
});
export type KeyInventoryRow = z.infer<typeof KeyInventoryRowSchema>;

export const keyInventoryQuestion = defineQuestion({
  name: 'keyInventory',
  audience: ANALYST_ROLES,
  description:
    'Every KEK the inventory knows (from management and data-plane events, and refreshes from KMS): state, rotation ' +
    'and last rotation, KEK versions seen, first and last use, and the top principals of its cryptographic calls in [from, to). ' +
    'Sorted by account, Region and key ARN; at most `limit` keys (`truncated` says when there were more).',
  params: z
    .object({
      ...timeRangeShape,
      filters: z
        .object({
          accountId: z.string().regex(/^\d{12}$/).optional(),
          region: z.string().min(1).max(64).optional(),
          state: z.enum(KEY_STATES).optional(),
          /** A key id or key ARN. */
          keyId: z.string().min(1).max(2048).optional(),
        })
        .strict()
        .default({}),
      topPrincipals: z.number().int().min(0).max(20).default(5),
      limit: z.number().int().min(1).max(5000).default(1000),
    })
    .strict()
    .superRefine(checkTimeRange),
  result: z.object({
    keys: z.array(KeyInventoryRowSchema),
    /** Keys matching the filters (may exceed keys.length). */
    total: Count,
    truncated: z.boolean(),
  }),
});
export type KeyInventoryParams = ParamsOf<typeof keyInventoryQuestion>;
export type KeyInventoryResult = ResultOf<typeof keyInventoryQuestion>;

/** A stored key state as the inventory shows it (the same on every backend): bookkeeping dropped, its top callers added. */
export function inventoryRow({ asOf: _asOf, ...s }: KeyState, topPrincipals: KeyInventoryRow['topPrincipals']): KeyInventoryRow {
  return { ...s, policyUpdatedAt: s.policyUpdatedAt ?? null, primaryKeyArn: s.primaryKeyArn ?? null, topPrincipals };
}
