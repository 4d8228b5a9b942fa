import { getAuth } from '@/lib/auth/keyscope-auth';
import { guardRoute } from '@/lib/auth/next/guard-route';
import { actorOfRoute } from '@/lib/audit/route-audit';
import { createLocalUser, listUsers, NewLocalUserSchema, UserError } from '@/lib/auth/users';
import { errorBody, jsonResponse } from '@/lib/dashboard/server/http-errors';

export const dynamic = 'force-dynamic';

export const GET = guardRoute('/api/admin/users', 'GET', async () => jsonResponse({ users: await listUsers(await getAuth()) }));

/** Creates a local account; the password (given or generated) is in this one answer only. */
export const POST = guardRoute('/api/admin/users', 'POST', async (request, ctx) => {
  const { requestId } = ctx;
  const body: unknown = await request.json().catch(() => null);
  try {
    const created = await createLocalUser(await getAuth(), NewLocalUserSchema.parse(body ?? {}), actorOfRoute(ctx));
    return Response.json(created, { status: 201, headers: { 'cache-control': 'no-store' } });
  } catch (err) {
    if (err instanceof UserError) return errorBody(409, 'invalid_params', err.message, requestId);
    throw err;
  }
});
