import { z } from 'zod';
import { ANALYST_ROLES } from '../../auth/roles';
import { ALL, AuditQuerySchema, auditRangeShape, checkAuditRange } from '../audit-common';
import { defineQuestion, type ParamsOf, type ResultOf } from '../define';

/**
 * The facets of /security, catalog names (lib/query-language/fields.ts); the last is the
 * set of encryption-context keys an event carries (a value is a key, e.g. "tenant").
 */
export const AUDIT_FACETS = [
  'event.action', 'event.outcome', 'cloud.account.id', 'cloud.region', 'keyscope.principal.caller', 'source.ip',
  'user_agent.original', 'kms.key.arn', 'error.code', 'kms.encryption_context',
] as const;
export type AuditFacet = (typeof AUDIT_FACETS)[number];

export const auditFacetsQuestion = defineQuestion({
  name: 'auditFacets',
  audience: ANALYST_ROLES,
  description:
    'For every facet, its `top` most frequent values over the whole result of the query in [from, to) (not a page), ' +
    'by count descending then value ascending; `other` counts the matching events whose value is none of those, ' +
    '`missing` those with no value. Exact on both stores.',
  params: z
    .object({ ...auditRangeShape, query: AuditQuerySchema.default(ALL), top: z.number().int().min(1).max(50).default(10) })
    .strict()
    .superRefine(checkAuditRange),
  result: z.object({
    facets: z.array(
      z.object({
        field: z.enum(AUDIT_FACETS),
        values: z.array(z.object({ value: z.string(), count: z.number().int().positive() })),
        other: z.number().int().nonnegative(),
        missing: z.number().int().nonnegative(),
      }),
    ),
  }),
});
export type AuditFacetsParams = ParamsOf<typeof auditFacetsQuestion>;
export type AuditFacetsResult = ResultOf<typeof auditFacetsQuestion>;
