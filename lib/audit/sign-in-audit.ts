import type { Database } from 'better-sqlite3';
import { createAuthMiddleware, isAPIError } from 'better-auth/api';
import { requestIdOf } from '../dashboard/server/request-id';
import { isRole } from '../auth/roles';
import { recordAudit } from './audit-log';

const isOAuthCallback = (path: string) => path.startsWith('/callback/') || path.startsWith('/oauth2/callback/');

const errorOfRedirect = (location: string | null) => (location === null ? null : new URL(location, 'http://x').searchParams.get('error'));

/**
 * Why better-auth refused: its error code, or the `error` of the redirect it answered an
 * OAuth callback with. null for a redirect without an error: not an outcome yet (a
 * form_post callback re-sent as GET, an IdP-initiated sign-in restarted).
 */
function failureReason(returned: unknown): string | null {
  if (isAPIError(returned)) {
    const location = returned.headers instanceof Headers ? returned.headers.get('location') : null;
    if (location !== null) return errorOfRedirect(location)?.slice(0, 100) ?? null;
    const body = returned.body as { code?: unknown } | undefined;
    return (typeof body?.code === 'string' ? body.code : String(returned.statusCode)).slice(0, 100);
  }
  if (returned instanceof Response) return errorOfRedirect(returned.headers.get('location'))?.slice(0, 100) ?? (returned.ok ? null : String(returned.status));
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
    const params = (ctx.params ?? {}) as Record<string, unknown>;
    // Core's /callback/:id serves generic OAuth too; /oauth2/callback/:providerId in other versions.
    const provider = method === 'oidc' ? String(params.id ?? params.providerId ?? 'unknown').slice(0, 64) : undefined;
    const session = ctx.context.newSession;
    if (session) {
      const role: unknown = (session.user as { role?: unknown }).role;
      recordAudit(db, {
        by: { actor: session.user.email, actorId: session.user.id, role: isRole(role) ? role : null, ...where },
        action: 'sign-in', target: `user:${session.user.email}`, detail: { method, ...(provider ? { provider } : {}) },
      });
      return;
    }
    const reason = failureReason(ctx.context.returned);
    if (reason === null) return;
    const email = method === 'password' ? String((ctx.body as { email?: unknown } | undefined)?.email ?? '').toLowerCase().slice(0, 254) : '';
    recordAudit(db, {
      by: { actor: 'anonymous', ...where },
      action: 'sign-in', target: email === '' ? null : `user:${email}`, outcome: 'failure',
      detail: { method, ...(provider ? { provider } : {}), ...(email === '' ? {} : { attemptedEmail: email }), reason },
    });
  });
}
