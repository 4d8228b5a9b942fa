import { z } from 'zod';
import { ANALYST_ROLES } from '../../auth/roles';
import { KMS_EVENT_NAMES, kmsEventInfo } from '../../model/cloudtrail/event-names';
import { KeyStateSchema } from '../../model/key-state';
import { ROTATION_STATUSES } from '../../model/dek-record';
import { IsoTime, checkTimeRange, timeRangeShape } from '../common';
import { defineQuestion, type ParamsOf, type ResultOf } from '../define';
import { TopListSchema } from './top-lists';

const Count = z.number().int().nonnegative();

/** Calls that change a key (policy, grants, state, rotation, aliases, material): management calls that are not reads. */
export const KEY_CHANGE_EVENTS: readonly string[] = KMS_EVENT_NAMES.filter((n) => kmsEventInfo(n).management && !/^(Describe|Get|List)/.test(n));

export const KeyChangeSchema = z.object({
  id: z.string(),
  time: IsoTime,
  action: z.string(),
  principal: z.string().nullable(),
  source: z.string().nullable(),
  outcome: z.enum(['success', 'failure']),
  errorCode: z.string().nullable(),
});
export type KeyChange = z.infer<typeof KeyChangeSchema>;

export const keyDetailQuestion = defineQuestion({
  name: 'keyDetail',
  audience: ANALYST_ROLES,
  description:
    'One KEK by canonical ARN: its inventory state (null when the inventory lacks it), whether the audit trail ever named it, ' +
    'its calls and failures in [from, to), the top principals, sources (IP addresses), user agents, error codes (as written) and actions, ' +
    'the DEK records it protects per KEK version and rotation status (records naming the key by ARN or key id), and its ' +
    'management changes (policy, grants, state, rotation, aliases) in the range, newest first, at most `changes`.',
  params: z
    .object({
      ...timeRangeShape,
      keyArn: z.string().min(1).max(2048),
      top: z.number().int().min(1).max(50).default(10),
      changes: z.number().int().min(1).max(1000).default(200),
    })
    .strict()
    .superRefine(checkTimeRange),
  result: z.object({
    key: KeyStateSchema.omit({ asOf: true }).nullable(),
    /** Some audit event, at any time, names the key. */
    inAuditTrail: z.boolean(),
    totals: z.object({ calls: Count, failures: Count }),
    principals: TopListSchema,
    sources: TopListSchema,
    userAgents: TopListSchema,
    errors: TopListSchema,
    actions: TopListSchema,
    dekRecords: z.object({
      total: Count,
      /** By KEK version (null: records without one), most records first. */
      byVersion: z.array(z.object({ version: z.string().nullable(), total: Count, byStatus: z.partialRecord(z.enum(ROTATION_STATUSES), Count) })),
    }),
    changes: z.object({ items: z.array(KeyChangeSchema), total: Count, truncated: z.boolean() }),
  }),
});
export type KeyDetailParams = ParamsOf<typeof keyDetailQuestion>;
export type KeyDetailResult = ResultOf<typeof keyDetailQuestion>;

/** Rows of (version, status, records) as the answer lists them: versions by records, then by name (null last). */
export function dekRecordsByVersion(rows: ReadonlyArray<{ version: string | null; status: string; n: number }>): KeyDetailResult['dekRecords'] {
  const by = new Map<string | null, KeyDetailResult['dekRecords']['byVersion'][number]>();
  for (const r of rows) {
    const v = by.get(r.version) ?? { version: r.version, total: 0, byStatus: {} };
    v.total += r.n;
    const s = r.status as (typeof ROTATION_STATUSES)[number];
    v.byStatus[s] = (v.byStatus[s] ?? 0) + r.n;
    by.set(r.version, v);
  }
  const byVersion = [...by.values()].sort((a, b) => b.total - a.total || cmpNullLast(a.version, b.version));
  return { total: byVersion.reduce((s, v) => s + v.total, 0), byVersion };
}

function cmpNullLast(a: string | null, b: string | null): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  return a < b ? -1 : 1;
}

/** A stored state as the page shows it: bookkeeping dropped. */
export function keyOfState<T extends { asOf?: unknown }>({ asOf: _asOf, ...s }: T): Omit<T, 'asOf'> {
  return s;
}
