import { ADMIN_ROLES, AGGREGATE_ROLES, ANALYST_ROLES, ROLES, type Role } from './roles';

/**
 * Who may call each page and route: the one declaration, keyed by the route's path as the
 * app/ directory spells it. Pages and route handlers look themselves up here (guard-page.ts,
 * guard-route.ts); the route × role matrix test is generated from it, and a unit test fails
 * when an app/ page or route is missing from it.
 */
export type Audience = 'public' | 'signed-in' | readonly Role[];
export type RouteAccess = { kind: 'page' | 'api'; allow: Audience; methods?: readonly HttpMethod[] };
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

const AGGREGATES = AGGREGATE_ROLES;
const ANALYSTS = ANALYST_ROLES;
const ADMINS = ADMIN_ROLES;

export const ACCESS = {
  '/': { kind: 'page', allow: 'signed-in' },
  '/sign-in': { kind: 'page', allow: 'public' },
  '/oncall': { kind: 'page', allow: AGGREGATES },
  '/rotation': { kind: 'page', allow: [...AGGREGATES, 'executive'] },
  '/posture': { kind: 'page', allow: ['executive', 'admin'] },
  '/security': { kind: 'page', allow: ANALYSTS },
  '/keys': { kind: 'page', allow: ANALYSTS },
  '/keys/[id]': { kind: 'page', allow: ANALYSTS },
  '/principals/[id]': { kind: 'page', allow: ANALYSTS },
  '/alerts': { kind: 'page', allow: ANALYSTS },
  '/blast-radius': { kind: 'page', allow: ANALYSTS },
  '/admin/users': { kind: 'page', allow: ADMINS },
  '/admin/tokens': { kind: 'page', allow: ADMINS },
  '/admin/audit': { kind: 'page', allow: ADMINS },
  // Every question (lib/questions/registry.ts); the route checks the question's own audience.
  '/api/questions/[name]': { kind: 'api', allow: 'signed-in', methods: ['GET'] },
  '/api/admin/users': { kind: 'api', allow: ADMINS, methods: ['GET', 'POST'] },
  '/api/admin/tokens': { kind: 'api', allow: ADMINS, methods: ['GET', 'POST', 'DELETE'] },
  '/api/admin/audit': { kind: 'api', allow: ADMINS, methods: ['GET'] },
  // Saved audit searches (own and shared) and the streamed export of a whole audit search.
  '/api/saved-searches': { kind: 'api', allow: ANALYSTS, methods: ['GET', 'POST', 'DELETE'] },
  '/api/export/audit': { kind: 'api', allow: ANALYSTS, methods: ['GET'] },
  // better-auth's own endpoints: sign-in, callbacks, session; each checks what it needs.
  '/api/auth/[...all]': { kind: 'api', allow: 'public', methods: ['GET', 'POST'] },
  // Up or down for anyone (load balancers); the details only for an admin (app/healthz/route.ts).
  '/healthz': { kind: 'api', allow: 'public', methods: ['GET'] },
} as const satisfies Record<string, RouteAccess>;

export type RoutePath = keyof typeof ACCESS;

/** What a request gets: through, 401 (no session) or 403 (a role the route does not allow). */
export type Decision = 'allow' | 'unauthenticated' | 'forbidden';

export function decide(route: RoutePath, role: Role | null): Decision {
  return decideAudience(ACCESS[route].allow, role);
}

/** The same rule for any audience: a route's, or a question's (lib/questions/define.ts). */
export function decideAudience(allow: Audience, role: Role | null): Decision {
  if (allow === 'public') return 'allow';
  if (role === null) return 'unauthenticated';
  if (allow === 'signed-in') return 'allow';
  return allow.includes(role) ? 'allow' : 'forbidden';
}

/** The roles a route lets in (every role for public and signed-in routes). */
export function rolesAllowed(route: RoutePath): readonly Role[] {
  const allow: Audience = ACCESS[route].allow;
  return allow === 'public' || allow === 'signed-in' ? ROLES : allow;
}
