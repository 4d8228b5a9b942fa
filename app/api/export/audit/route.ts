import { guardRoute } from '@/lib/auth/next/guard-route';
import { recordRouteAudit } from '@/lib/audit/route-audit';
import { logFailure } from '@/lib/dashboard/server/server-log';
import { getReadStore } from '@/lib/dashboard/server/store-access';
import { answerExportRoute } from '@/lib/export/export-route';
import { auditSearch } from '@/lib/questions/registry';

export const dynamic = 'force-dynamic';

/** GET ?format=csv|ndjson&from&to&query&columns (repeated): every matching event, streamed (lib/export). */
export const GET = guardRoute('/api/export/audit', 'GET', (request, ctx) =>
  answerExportRoute(request, ctx, { store: getReadStore, question: auditSearch, audit: recordRouteAudit, log: logFailure }));
