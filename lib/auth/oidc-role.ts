import { defineRequestState } from '@better-auth/core/context';
import { APIError } from 'better-auth/api';
import type { OidcProviderConfig } from '../config-file';
import { roleFromGroups } from './group-roles';
import type { Role } from './roles';

/**
 * The role of an OpenID Connect sign-in, decided on the server from the identity
 * provider's groups claim at every sign-in (never from anything the browser sends).
 * better-auth's `validateUserInfo` sees the verified provider profile: it decides the role
 * (or refuses the sign-in) and keeps the decision for the rest of the request, where the
 * user and session hooks write it to the user.
 */
const decision = defineRequestState<{ role: Role } | null>(() => null);

type ValidateSource = { method: string; action: string; oauth?: { providerId: string; profile?: Record<string, unknown> } | undefined };

export const NO_ROLE_ERROR = 'no_keyscope_role';

export function oidcRoleHooks(providers: readonly OidcProviderConfig[]) {
  const byId = new Map(providers.map((p) => [p.id, p]));
  return {
    async validateUserInfo({ source }: { source: ValidateSource }) {
      if (source.method !== 'oauth' || source.oauth === undefined) return undefined;
      const provider = byId.get(source.oauth.providerId);
      if (provider === undefined) return { error: 'unknown_provider', errorDescription: 'This identity provider is not configured.' };
      const role = roleFromGroups(source.oauth.profile?.[provider.groupsClaim], provider.roles);
      if (role === null) return { error: NO_ROLE_ERROR, errorDescription: 'Your groups at the identity provider grant no keyscope role.' };
      await decision.set({ role });
      return undefined;
    },
    /** A new OIDC user starts with the role just decided. */
    async beforeUserCreate<U extends Record<string, unknown>>(user: U): Promise<{ data: U & { role: Role } } | undefined> {
      const d = await decided();
      return d ? { data: { ...user, role: d.role } } : undefined;
    },
    /** An OIDC sign-in without a decision cannot make a session; one with a decision refreshes the role. */
    async beforeSessionCreate(session: { userId: string }, ctx: { path?: string; context: { internalAdapter: { updateUser(id: string, data: Record<string, unknown>): Promise<unknown> } } } | null) {
      if (ctx === null || !isOAuthCallback(ctx.path)) return undefined;
      const d = await decided();
      if (d === undefined || d === null) throw new APIError('FORBIDDEN', { code: NO_ROLE_ERROR, message: 'no keyscope role was decided for this sign-in' });
      await ctx.context.internalAdapter.updateUser(session.userId, { role: d.role });
      return undefined;
    },
  };
}

function isOAuthCallback(path: string | undefined): boolean {
  return path !== undefined && (path.startsWith('/callback/') || path.startsWith('/oauth2/callback/'));
}

/** The decision of this request; undefined outside a better-auth request (the users CLI). */
async function decided(): Promise<{ role: Role } | null | undefined> {
  try {
    return await decision.get();
  } catch {
    return undefined;
  }
}
