import type { AuditRow } from './audit-log';

export const EXPORT_FORMATS = ['csv', 'ndjson'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

const COLUMNS = ['seq', 'time', 'actor', 'actorId', 'role', 'action', 'target', 'outcome', 'requestId', 'sourceIp', 'detail', 'prevSha256', 'sha256'] as const;

/** A CSV cell; a leading =, +, - or @ is quoted with ' so a spreadsheet never runs it as a formula. */
function cell(v: unknown): string {
  let s = v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function exportHeader(format: ExportFormat): string {
  return format === 'csv' ? `${COLUMNS.join(',')}\r\n` : '';
}

export function exportLines(format: ExportFormat, rows: readonly AuditRow[]): string {
  if (format === 'ndjson') return rows.map((r) => `${JSON.stringify(r)}\n`).join('');
  return rows.map((r) => `${COLUMNS.map((c) => cell(r[c])).join(',')}\r\n`).join('');
}

export const EXPORT_CONTENT_TYPE: Record<ExportFormat, string> = { csv: 'text/csv; charset=utf-8', ndjson: 'application/x-ndjson' };
