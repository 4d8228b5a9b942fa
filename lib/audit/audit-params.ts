import { z } from 'zod';
import { EXPORT_FORMATS } from './audit-export';
import { AUDIT_PAGE_MAX, AuditFilterSchema } from './audit-query';

/** The query string of /admin/audit and /api/admin/audit: filters, a page cursor, and `format` for an export. */
export const AuditParamsSchema = AuditFilterSchema.extend({
  before: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(AUDIT_PAGE_MAX).optional(),
  format: z.enum(EXPORT_FORMATS).optional(),
}).strict();
export type AuditParams = z.infer<typeof AuditParamsSchema>;

/** Empty fields of a submitted form are no filter. */
export function safeParseAuditParams(query: Record<string, string | string[] | undefined>) {
  return AuditParamsSchema.safeParse(Object.fromEntries(Object.entries(query).filter(([, v]) => typeof v === 'string' && v.trim() !== '')));
}

export function filterOf(p: AuditParams) {
  const { before: _b, limit: _l, format: _f, ...filter } = p;
  return filter;
}
