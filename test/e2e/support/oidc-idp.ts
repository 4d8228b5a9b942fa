import { createServer, type Server } from 'node:http';
import Provider from 'oidc-provider';

/** A user of the test identity provider: the login name is the subject; `groups` goes into the claims. */
export type IdpUser = { login: string; email: string; name: string; groups: string[] };

/**
 * A real OpenID Provider (`oidc-provider`) on loopback, with its development login and
 * consent pages: any password is accepted, the login name picks the user. PKCE is required,
 * as keyscope always sends it.
 */
export async function startIdp(o: { port: number; clientId: string; clientSecret: string; redirectUri: string; users: IdpUser[] }): Promise<{ issuer: string; stop: () => Promise<void> }> {
  const issuer = `http://127.0.0.1:${o.port}`;
  const users = new Map(o.users.map((u) => [u.login, u]));
  const provider = new Provider(issuer, {
    clients: [{ client_id: o.clientId, client_secret: o.clientSecret, redirect_uris: [o.redirectUri], grant_types: ['authorization_code'], response_types: ['code'] }],
    scopes: ['openid', 'email', 'profile', 'groups'],
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'], groups: ['groups'] },
    pkce: { required: () => true },
    cookies: { keys: ['keyscope-e2e-idp-cookie-key'] },
    async findAccount(_ctx, sub) {
      const u = users.get(sub);
      if (u === undefined) return undefined;
      return { accountId: sub, claims: async () => ({ sub, email: u.email, email_verified: true, name: u.name, groups: u.groups }) };
    },
  });
  const server: Server = createServer(provider.callback());
  await new Promise<void>((resolve) => server.listen(o.port, '127.0.0.1', resolve));
  return { issuer, stop: () => new Promise((resolve) => server.close(() => resolve())) };
}
