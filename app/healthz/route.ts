import { guardRoute } from '@/lib/auth/next/guard-route';
import { healthReport } from '@/lib/dashboard/server/health';

export const dynamic = 'force-dynamic';

/** Up or down for anyone (load balancers, `curl`); what is up and what is not only for an admin. */
export const GET = guardRoute('/healthz', 'GET', async (_request, { viewer, requestId }) => {
  const report = await healthReport(requestId);
  const body = viewer?.role === 'admin' ? report : { status: report.status };
  return Response.json(body, { status: report.status === 'up' ? 200 : 503, headers: { 'cache-control': 'no-store' } });
});
