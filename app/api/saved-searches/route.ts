import { guardRoute } from '@/lib/auth/next/guard-route';
import { dashboardAuditDb } from '@/lib/audit/route-audit';
import { createRoute, deleteRoute, listRoute } from '@/lib/saved-searches/saved-search-route';

export const dynamic = 'force-dynamic';

// The auth database, where the saved searches and the audit log of their writes live.
const db = dashboardAuditDb;

/** GET: mine and shared, newest first. */
export const GET = guardRoute('/api/saved-searches', 'GET', (request, ctx) => listRoute(request, ctx, db));

/** POST a JSON body (lib/saved-searches/schema.ts NewSavedSearchSchema): 201 with the saved search. */
export const POST = guardRoute('/api/saved-searches', 'POST', (request, ctx) => createRoute(request, ctx, db));

/** DELETE ?id=<uuid>: its owner or an admin (403 otherwise). */
export const DELETE = guardRoute('/api/saved-searches', 'DELETE', (request, ctx) => deleteRoute(request, ctx, db));
