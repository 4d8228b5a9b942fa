import { exportHeader, exportLines, EXPORT_CONTENT_TYPE, type ExportFormat } from '@/lib/audit/audit-export';
import { filterOf, safeParseAuditParams } from '@/lib/audit/audit-params';
import { auditChunks, listAudit, type AuditFilter } from '@/lib/audit/audit-query';
import { dashboardAuditDb, recordRouteAudit } from '@/lib/audit/route-audit';
import { guardRoute } from '@/lib/auth/next/guard-route';
import { jsonResponse } from '@/lib/dashboard/server/http-errors';

export const dynamic = 'force-dynamic';

/**
 * GET /api/admin/audit?actor=&action=&since=&until=&text=&before=&limit= : a page, newest first.
 * With format=csv|ndjson: every matching row, oldest first, streamed; the export is itself audited.
 */
export const GET = guardRoute('/api/admin/audit', 'GET', async (request, ctx) => {
  const parsed = safeParseAuditParams(Object.fromEntries(new URL(request.url).searchParams));
  // guardRoute answers a ZodError with a 400 naming each field.
  if (!parsed.success) throw parsed.error;
  const p = parsed.data;
  const db = await dashboardAuditDb();
  const filter = filterOf(p);
  if (p.format === undefined) return jsonResponse(listAudit(db, filter, { ...(p.before ? { before: p.before } : {}), ...(p.limit ? { limit: p.limit } : {}) }));
  await recordRouteAudit(ctx, { action: 'export', target: 'audit-log', detail: { format: p.format, filter } });
  return new Response(exportStream(db, filter, p.format, request.signal), {
    headers: {
      'content-type': EXPORT_CONTENT_TYPE[p.format],
      'content-disposition': `attachment; filename="keyscope-audit.${p.format}"`,
      'cache-control': 'no-store',
    },
  });
});

function exportStream(db: Awaited<ReturnType<typeof dashboardAuditDb>>, filter: AuditFilter, format: ExportFormat, signal: AbortSignal): ReadableStream<Uint8Array> {
  const chunks = auditChunks(db, filter);
  const encoder = new TextEncoder();
  let headerSent = false;
  // Pulled one chunk of rows at a time, as the client reads: memory stays one chunk whatever the log's size.
  return new ReadableStream({
    pull(controller) {
      if (signal.aborted) return controller.close();
      if (!headerSent) {
        headerSent = true;
        const header = exportHeader(format);
        if (header !== '') return controller.enqueue(encoder.encode(header));
      }
      const next = chunks.next();
      if (next.done) return controller.close();
      controller.enqueue(encoder.encode(exportLines(format, next.value)));
    },
    cancel() {
      chunks.return(undefined);
    },
  });
}
