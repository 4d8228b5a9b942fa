import 'server-only';
import type { RouteContext } from '../auth/next/guard-route';
import { getAuth } from '../auth/keyscope-auth';
import { auditDbOf } from './audit-db';
import { recordAudit, type AuditActor, type AuditEntry, type AuditRow } from './audit-log';

/** The signed-in user of a route handler as the audit log names them, with the request id. */
export function actorOfRoute(ctx: RouteContext): AuditActor {
  const v = ctx.viewer;
  return v === null ? { actor: 'anonymous', requestId: ctx.requestId } : { actor: v.email, actorId: v.id, role: v.role, requestId: ctx.requestId };
}

/** This dashboard process's connection to the audit log (the auth database). */
export async function dashboardAuditDb() {
  return auditDbOf(await getAuth());
}

/**
 * What a route handler calls after an export, a search or an alert state change:
 *   await recordRouteAudit(ctx, { action: 'search', target: 'audit-search', detail: { query } })
 */
export async function recordRouteAudit(ctx: RouteContext, e: Omit<AuditEntry, 'by'>): Promise<AuditRow> {
  return recordAudit(await dashboardAuditDb(), { ...e, by: actorOfRoute(ctx) });
}
