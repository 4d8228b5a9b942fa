import 'server-only';
import type { RouteContext } from '../auth/next/guard-route';
import type { AuditEntry } from '../audit/audit-log';
import type { Store } from '../store/types';
import { columnSpecs } from './columns';
import { csvEncoder, EXPORT_CONTENT_TYPE, ndjsonEncoder, type RowEncoder } from './encoders';
import { parseExportRequest, type ExportRequest } from './export-params';
import { EXPORT_ROW_CAP, exportAuditEvents, type AuditSearchQuestion, type ExportEnd } from './export-stream';

export const ROW_CAP_HEADER = 'x-keyscope-row-cap';

export type ExportRouteDeps = {
  store: () => Promise<Pick<Store, 'answer'>>;
  question: AuditSearchQuestion;
  audit: (ctx: RouteContext, e: Omit<AuditEntry, 'by'>) => Promise<unknown>;
  /** Where a failed audit write or a store failure mid-stream is told (the server log). */
  log: (requestId: string, what: string, err: unknown) => void;
  cap?: number;
};

function encoderOf(r: ExportRequest): RowEncoder {
  const specs = r.columns === null ? null : columnSpecs(r.columns);
  return r.format === 'csv' ? csvEncoder(specs ?? []) : ndjsonEncoder(specs);
}

/** What the audit log keeps of an export: who (the row's actor), query, range, format, columns, rows and how it ended. */
export function exportAuditEntry(r: ExportRequest, end: ExportEnd): Omit<AuditEntry, 'by'> {
  return {
    action: 'export',
    target: 'audit-events',
    outcome: end.ended === 'failed' ? 'failure' : 'success',
    detail: { query: r.queryText, from: r.search.from, to: r.search.to, format: r.format, columns: r.columns ?? 'all', rows: end.rows, ended: end.ended },
  };
}

/**
 * GET /api/export/audit: parse (400 names what is wrong), read the first page (a store
 * failure is a 503 before any byte), then stream the rest; the audit log gets one row when it ends.
 */
export async function answerExportRoute(request: Request, ctx: RouteContext, deps: ExportRouteDeps): Promise<Response> {
  const r = parseExportRequest(new URL(request.url).searchParams);
  const cap = deps.cap ?? EXPORT_ROW_CAP;
  // A failure before the first byte is guardRoute's to answer and log; one after it only the log can tell.
  let streaming = false;
  const onEnd = async (end: ExportEnd): Promise<void> => {
    if (end.ended === 'failed' && streaming) deps.log(ctx.requestId, 'an audit export failed after its first bytes', end.error);
    try {
      await deps.audit(ctx, exportAuditEntry(r, end));
    } catch (err) {
      deps.log(ctx.requestId, 'recording an audit export in the audit log failed', err);
    }
  };
  const stream = await exportAuditEvents({
    store: await deps.store(), question: deps.question, search: r.search, encoder: encoderOf(r), signal: request.signal, cap, onEnd,
  });
  streaming = true;
  return new Response(stream, {
    headers: {
      'content-type': EXPORT_CONTENT_TYPE[r.format],
      'content-disposition': `attachment; filename="keyscope-audit-events.${r.format}"`,
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      [ROW_CAP_HEADER]: String(cap),
    },
  });
}
