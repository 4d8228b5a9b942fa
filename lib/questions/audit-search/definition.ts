import { z } from 'zod';
import { ANALYST_ROLES } from '../../auth/roles';
import { ALL, AuditQuerySchema, AuditRowSchema, TotalSchema, auditRangeShape, checkAuditRange } from '../audit-common';
import { defineQuestion, type ParamsOf, type ResultOf } from '../define';

export const auditSearchQuestion = defineQuestion({
  name: 'auditSearch',
  audience: ANALYST_ROLES,
  description:
    'KMS audit events in [from, to) matching the query, newest first (time, then event id, descending), `limit` per ' +
    'page; `after` is the previous page\'s `next` (keyset paging: stable while new events arrive). `total` is exact up ' +
    'to TOTAL_CAP matches, else "at least" (relation gte); `withTotal: false` skips it (export).',
  params: z
    .object({
      ...auditRangeShape,
      query: AuditQuerySchema.default(ALL),
      limit: z.number().int().min(1).max(5000).default(50),
      /** Opaque cursor from the previous page (the backend's own encoding). */
      after: z.string().min(1).max(1024).optional(),
      withTotal: z.boolean().default(true),
    })
    .strict()
    .superRefine(checkAuditRange),
  result: z.object({
    events: z.array(AuditRowSchema),
    total: TotalSchema.nullable(),
    /** Cursor of the next page; null on the last. */
    next: z.string().nullable(),
  }),
});
export type AuditSearchParams = ParamsOf<typeof auditSearchQuestion>;
export type AuditSearchResult = ResultOf<typeof auditSearchQuestion>;
