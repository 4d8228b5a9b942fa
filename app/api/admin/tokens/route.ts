import { z } from 'zod';
import { createToken, listTokens, revokeToken } from '@/lib/auth/emitter-token-admin';
import { EmitterTokenError, NewEmitterTokenSchema } from '@/lib/auth/emitter-tokens';
import { guardRoute } from '@/lib/auth/next/guard-route';
import { actorOfRoute } from '@/lib/audit/route-audit';
import { errorBody, jsonResponse } from '@/lib/dashboard/server/http-errors';

export const dynamic = 'force-dynamic';

const RevokeSchema = z.object({ id: z.string().regex(/^[0-9a-f]{16}$/, 'a token id: 16 hex characters') }).strict();

export const GET = guardRoute('/api/admin/tokens', 'GET', async () => jsonResponse({ tokens: listTokens() }));

/** Creates a token; the secret is in this one answer only. */
export const POST = guardRoute('/api/admin/tokens', 'POST', async (request, ctx) => {
  const { requestId } = ctx;
  const body: unknown = await request.json().catch(() => null);
  try {
    const created = createToken(NewEmitterTokenSchema.parse(body ?? {}), actorOfRoute(ctx));
    return Response.json(created, { status: 201, headers: { 'cache-control': 'no-store' } });
  } catch (err) {
    if (err instanceof EmitterTokenError) return errorBody(409, 'invalid_params', err.message, requestId);
    throw err;
  }
});

/** DELETE /api/admin/tokens?id=<token id>: revokes it; the intake refuses it at its next request. */
export const DELETE = guardRoute('/api/admin/tokens', 'DELETE', async (request, ctx) => {
  const { requestId } = ctx;
  const { id } = RevokeSchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  try {
    return jsonResponse({ revoked: revokeToken(id, actorOfRoute(ctx)) });
  } catch (err) {
    if (err instanceof EmitterTokenError) return errorBody(409, 'invalid_params', err.message, requestId);
    throw err;
  }
});
