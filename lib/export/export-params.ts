import { z } from 'zod';
import type { QueryNode } from '../query-language/ast';
import { parseQuery } from '../query-language/parse';
import { ALL } from '../questions/audit-common';
import { auditSearchQuestion, type AuditSearchParams } from '../questions/audit-search/definition';
import { ColumnsSchema, DEFAULT_COLUMNS } from './columns';
import { EXPORT_FORMATS, type ExportFormat } from './encoders';

/** Rows per store read: auditSearch's largest page. */
export const EXPORT_PAGE_SIZE = 5000;

/**
 * The query text to its tree here, not through auditSearch's union schema: zod reports a union's
 * failure as "Invalid input", and the page needs the parser's message and position.
 */
const QueryTextSchema = z.string().max(4096, 'a query may be at most 4,096 characters').transform((text, ctx): QueryNode => {
  const r = parseQuery(text);
  if (r.ok) return r.tree;
  ctx.addIssue({ code: 'custom', message: `${r.error.message} (at ${r.error.span.start}-${r.error.span.end})` });
  return z.NEVER;
});

/** The query string of GET /api/export/audit; `columns` repeats, one catalog name each. */
const ExportQuerySchema = z
  .object({
    format: z.enum(EXPORT_FORMATS),
    from: z.string(),
    to: z.string(),
    query: QueryTextSchema.optional(),
    columns: ColumnsSchema.default([]),
  })
  .strict();

export type ExportRequest = {
  format: ExportFormat;
  /** Canonical catalog names; CSV falls back to DEFAULT_COLUMNS, NDJSON to whole rows. */
  columns: readonly string[] | null;
  /** The query as typed, for the audit log. */
  queryText: string;
  /** auditSearch's parameters with the tree parsed; `after` is the export loop's. */
  search: Omit<AuditSearchParams, 'after'>;
};

/** Parses at the edge: the export's own fields, then the range and query through auditSearch's schema (ZodError → 400). */
export function parseExportRequest(search: URLSearchParams): ExportRequest {
  const raw: Record<string, unknown> = {};
  for (const key of new Set(search.keys())) raw[key] = key === 'columns' ? search.getAll(key) : search.get(key);
  const q = ExportQuerySchema.parse(raw);
  const params = auditSearchQuestion.params.parse({ from: q.from, to: q.to, query: q.query ?? ALL, limit: EXPORT_PAGE_SIZE, withTotal: false });
  const columns = q.columns.length > 0 ? q.columns : q.format === 'csv' ? DEFAULT_COLUMNS : null;
  return { format: q.format, columns, queryText: typeof raw.query === 'string' ? raw.query : '', search: params };
}
