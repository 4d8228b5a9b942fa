import type { Database } from 'better-sqlite3';
import { createAuthMiddleware, isAPIError } from 'better-auth/api';
import { requestIdOf } from '../dashboard/server/request-id';
import { isRole } from '../auth/roles';
import { recordAudit } from './audit-log';

const isOAuthCallback = (path: string) => path.startsWith('/callback/') || path.startsWith('/oauth2/callback/');

/** Why better-auth refused: its error code, or the `error` of the redirect it answered an OAuth callback with. */
function failureReason(returned: unknown): string {
  if (isAPIError(returned)) {
    const location = returned.headers instanceof Headers ? returned.headers.get('location') : null;
    const fromRedirect = location === null ? null : new URL(location, 'http://x').searchParams.get('error');
    const body = returned.body as { code?: unknown } | undefined;
    return (fromRedirect ?? (typeof body?.code === 'string' ? body.code : returned.status.toString())).slice(0, 100);
  }
  if (returned instanceof Response) return new URL(returned.headers.get('location') ?? '/', 'http://x').searchParams.get('error') ?? String(returned.status);
  return 'no_session';
}

/**
 * better-auth's after-hook: one row per sign-in attempt, by email and password or through
 * an OIDC callback. The attempted email of a failed password sign-in is kept (never the password).
 */
export function signInAuditHook(db: Database) {
  return createAuthMiddleware(async (ctx) => {
    const path = ctx.path ?? '';
    const method = path === '/sign-in/email' ? 'password' : isOAuthCallback(path) ? 'oidc' : null;
    if (method === null) return;
    const where = { requestId: ctx.headers ? requestIdOf(ctx.headers) : null, sourceIp: null };
    const provider = method === 'oidc' ? String((ctx.params as Record<string, unknown> | undefined)?.providerId ?? path.split('/').pop()) : undefined;
    const session = ctx.context.newSession;
    if (session) {
      const role: unknown = (session.user as { role?: unknown }).role;
      recordAudit(db, {
        by: { actor: session.user.email, actorId: session.user.id, role: isRole(role) ? role : null, ...where },
        action: 'sign-in', target: `user:${session.user.email}`, detail: { method, ...(provider ? { provider } : {}) },
      });
      return;
    }
    const email = method === 'password' ? String((ctx.body as { email?: unknown } | undefined)?.email ?? '').toLowerCase().slice(0, 254) : '';
    recordAudit(db, {
      by: { actor: 'anonymous', ...where },
      action: 'sign-in', target: email === '' ? null : `user:${email}`, outcome: 'failure',
      detail: { method, ...(provider ? { provider } : {}), ...(email === '' ? {} : { attemptedEmail: email }), reason: failureReason(ctx.context.returned) },
    });
  });
}
