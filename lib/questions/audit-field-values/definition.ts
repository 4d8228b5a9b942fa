import { z } from 'zod';
import { ANALYST_ROLES } from '../../auth/roles';
import { AUDIT_FACETS } from '../audit-facets/definition';
import { auditRangeShape, checkAuditRange } from '../audit-common';
import { defineQuestion, type ParamsOf, type ResultOf } from '../define';

/** The fields the query bar completes values for: the facets' own fields (not the context-keys facet). */
export const VALUE_FIELDS = AUDIT_FACETS.filter((f): f is Exclude<typeof f, 'kms.encryption_context'> => f !== 'kms.encryption_context');

export const auditFieldValuesQuestion = defineQuestion({
  name: 'auditFieldValues',
  audience: ANALYST_ROLES,
  description:
    'The query bar\'s value completion: the most frequent values of `field` starting with `prefix` (case-sensitive, ' +
    'as the query matches) among audit events in [from, to) widened outward to whole hours, by count descending then value.',
  params: z
    .object({
      ...auditRangeShape,
      field: z.enum(VALUE_FIELDS),
      prefix: z.string().max(256).default(''),
      limit: z.number().int().min(1).max(50).default(10),
    })
    .strict()
    .superRefine(checkAuditRange),
  result: z.object({ field: z.enum(VALUE_FIELDS), values: z.array(z.object({ value: z.string(), count: z.number().int().positive() })) }),
});
export type AuditFieldValuesParams = ParamsOf<typeof auditFieldValuesQuestion>;
export type AuditFieldValuesResult = ResultOf<typeof auditFieldValuesQuestion>;
