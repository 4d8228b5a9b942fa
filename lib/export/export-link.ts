import type { ExportFormat } from './encoders';

export const EXPORT_AUDIT_PATH = '/api/export/audit';

/**
 * The download link for a whole audit search (what /security offers): the names
 * GET /api/export/audit parses; `columns` repeats, one catalog field name each.
 */
export function exportAuditUrl(r: { format: ExportFormat; from: string; to: string; query?: string; columns?: readonly string[] }): string {
  const out = new URLSearchParams({ format: r.format, from: r.from, to: r.to });
  if (r.query !== undefined && r.query.trim() !== '') out.set('query', r.query);
  for (const c of r.columns ?? []) out.append('columns', c);
  return `${EXPORT_AUDIT_PATH}?${out.toString()}`;
}
