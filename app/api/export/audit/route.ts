import { guardRoute } from '@/lib/auth/next/guard-route';
import { recordRouteAudit } from '@/lib/audit/route-audit';
import { logFailure } from '@/lib/dashboard/server/server-log';
import { getReadStore } from '@/lib/dashboard/server/store-access';
import { answerExportRoute } from '@/lib/export/export-route';
import type { AuditSearchQuestion } from '@/lib/export/export-stream';
import { NotFoundError } from '@/lib/questions/errors';
import { questionNamed } from '@/lib/questions/registry';

export const dynamic = 'force-dynamic';

function auditSearch(): AuditSearchQuestion {
  const q = questionNamed('auditSearch');
  if (q === undefined) throw new NotFoundError('audit search is not available on this server yet');
  return q as unknown as AuditSearchQuestion;
}

/** GET ?format=csv|ndjson&from&to&query&columns (repeated): every matching event, streamed (lib/export). */
export const GET = guardRoute('/api/export/audit', 'GET', (request, ctx) =>
  answerExportRoute(request, ctx, { store: getReadStore, question: auditSearch(), audit: recordRouteAudit, log: logFailure }));
