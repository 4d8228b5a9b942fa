import { z } from 'zod';
import { auditSearchQuestion, type AuditSearchParams } from '../questions/audit-search/definition';
import { ColumnsSchema, DEFAULT_COLUMNS } from './columns';
import { EXPORT_FORMATS, type ExportFormat } from './encoders';

/** Rows per store read: auditSearch's largest page. */
export const EXPORT_PAGE_SIZE = 5000;

/** The query string of GET /api/export/audit; `columns` repeats, one catalog name each. */
const ExportQuerySchema = z
  .object({
    format: z.enum(EXPORT_FORMATS),
    from: z.string(),
    to: z.string(),
    query: z.string().optional(),
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
  const params = auditSearchQuestion.params.parse({
    from: q.from, to: q.to, ...(q.query === undefined ? {} : { query: q.query }), limit: EXPORT_PAGE_SIZE, withTotal: false,
  });
  const columns = q.columns.length > 0 ? q.columns : q.format === 'csv' ? DEFAULT_COLUMNS : null;
  return { format: q.format, columns, queryText: q.query ?? '', search: params };
}
