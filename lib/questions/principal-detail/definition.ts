import { z } from 'zod';
import { ANALYST_ROLES } from '../../auth/roles';
import { PRINCIPAL_TYPES } from '../../model/audit-event';
import { DAY_MS, IsoTime, checkTimeRange, timeRangeShape } from '../common';
import { defineQuestion, type ParamsOf, type ResultOf } from '../define';
import { TopListSchema } from '../key-detail/top-lists';

const Count = z.number().int().nonnegative();

/** What a principal is tracked as first seen with (audit_principal_seen); context values as `kms.encryption_context.<key>`. */
export const SEEN_FIELDS = ['kms.key.arn', 'source.address', 'cloud.region', 'user_agent.original'] as const;
export const CONTEXT_FIELD_PREFIX = 'kms.encryption_context.';

export const NewSightingSchema = z.object({
  /** One of SEEN_FIELDS, or `kms.encryption_context.<key>`. */
  field: z.string(),
  value: z.string(),
  firstSeen: IsoTime,
  lastSeen: IsoTime,
  /** Events of the principal with this value, at any time. */
  count: z.number().int().positive(),
});
export type NewSighting = z.infer<typeof NewSightingSchema>;

export const principalDetailQuestion = defineQuestion({
  name: 'principalDetail',
  audience: ANALYST_ROLES,
  description:
    'One caller by keyscope.principal.caller (its stable name): when it was first and last seen (any time), its identity type and ' +
    'account (from its latest event), calls and failures in [from, to) with its top keys, sources (IP addresses), user agents, Regions, ' +
    'error codes (as written) and actions; and what is new for it: every key, source, Region, user agent and encryption-context value ' +
    'first seen in the `newDays` before `now`, never before, newest first.',
  params: z
    .object({
      ...timeRangeShape,
      principal: z.string().min(1).max(2048),
      now: IsoTime,
      newDays: z.number().int().min(1).max(90).default(7),
      top: z.number().int().min(1).max(50).default(10),
      newLimit: z.number().int().min(1).max(1000).default(200),
    })
    .strict()
    .superRefine(checkTimeRange),
  result: z.object({
    /** Null when the audit trail never names the principal. */
    seen: z.object({ firstSeen: IsoTime, lastSeen: IsoTime, count: Count }).nullable(),
    identity: z.object({ type: z.enum(PRINCIPAL_TYPES), accountId: z.string().nullable() }).nullable(),
    totals: z.object({ calls: Count, failures: Count }),
    keys: TopListSchema,
    sources: TopListSchema,
    userAgents: TopListSchema,
    regions: TopListSchema,
    errors: TopListSchema,
    actions: TopListSchema,
    newSince: IsoTime,
    newItems: z.array(NewSightingSchema),
    newTruncated: z.boolean(),
  }),
});
export type PrincipalDetailParams = ParamsOf<typeof principalDetailQuestion>;
export type PrincipalDetailResult = ResultOf<typeof principalDetailQuestion>;

/** [since, now]: the window a sighting must have started in to count as new. */
export function newWindow(p: Pick<PrincipalDetailParams, 'now' | 'newDays'>): { sinceMs: number; nowMs: number } {
  const nowMs = Date.parse(p.now);
  return { sinceMs: nowMs - p.newDays * DAY_MS, nowMs };
}

type Sighting = { field: string; value: string; first: number; last: number; count: number };

/** Sightings first seen within the window, newest first (then field, value): the same on every backend. */
export function newSightings(rows: readonly Sighting[], p: PrincipalDetailParams): { items: NewSighting[]; truncated: boolean } {
  const { sinceMs, nowMs } = newWindow(p);
  const fresh = rows
    .filter((r) => r.field !== '' && r.first >= sinceMs && r.first <= nowMs)
    .sort((a, b) => b.first - a.first || cmp(a.field, b.field) || cmp(a.value, b.value));
  return {
    items: fresh.slice(0, p.newLimit).map((r) => ({ field: r.field, value: r.value, firstSeen: iso(r.first), lastSeen: iso(r.last), count: r.count })),
    truncated: fresh.length > p.newLimit,
  };
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
export const iso = (ms: number): string => new Date(ms).toISOString();
