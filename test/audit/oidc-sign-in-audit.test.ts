import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditDbOf } from '../../lib/audit/audit-db';
import { listAudit } from '../../lib/audit/audit-query';
import { parseConfigFile } from '../../lib/config-file';
import { startIdp } from '../e2e/support/oidc-idp';
import { freePort } from '../e2e/support/servers';
import { BASE, cookieOf, freshAuth } from '../auth/support';

/**
 * OIDC sign-ins reach the audit log: a real OpenID Provider on loopback, its development
 * login and consent forms driven over HTTP, keyscope's better-auth called in-process.
 */
describe('OIDC sign-ins in the audit log', () => {
  let idp: Awaited<ReturnType<typeof startIdp>>;
  let a: Awaited<ReturnType<typeof freshAuth>>;

  beforeAll(async () => {
    idp = await startIdp({
      port: await freePort(), clientId: 'keyscope', clientSecret: 'unit-client-secret', redirectUri: `${BASE}/api/auth/callback/corp`,
      users: [
        { login: 'alice', email: 'alice@corp.example', name: 'Alice', groups: ['kms-security'] },
        { login: 'mallory', email: 'mallory@corp.example', name: 'Mallory', groups: ['marketing'] },
      ],
    });
    a = await freshAuth(parseConfigFile(JSON.stringify({
      auth: { oidc: [{ id: 'corp', name: 'Corp SSO', discoveryUrl: `${idp.issuer}/.well-known/openid-configuration`, clientId: 'keyscope', clientSecret: 'unit-client-secret', roles: { 'kms-security': 'analyst' } }] },
    }), 'test'));
  });
  afterAll(async () => {
    a.close();
    await idp.stop();
  });

  /** Follows the IdP's redirects and submits its login and consent forms until it sends the browser back to keyscope. */
  async function throughIdp(authorizeUrl: string, login: string): Promise<string> {
    const jar = new Map<string, string>();
    const send = async (url: string, form?: Record<string, string>) => {
      const res = await fetch(url, {
        redirect: 'manual', method: form ? 'POST' : 'GET',
        headers: { cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; '), ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
        ...(form ? { body: new URLSearchParams(form).toString() } : {}),
      });
      for (const c of res.headers.getSetCookie()) {
        const [pair] = c.split(';');
        const at = pair!.indexOf('=');
        jar.set(pair!.slice(0, at), pair!.slice(at + 1));
      }
      return res;
    };
    let res = await send(authorizeUrl);
    for (let hop = 0; hop < 12; hop++) {
      const location = res.headers.get('location');
      if (location !== null) {
        const next = new URL(location, idp.issuer).toString();
        if (next.startsWith(BASE)) return next;
        res = await send(next);
        continue;
      }
      const html = await res.text();
      const action = /action="([^"]+)"/.exec(html)?.[1];
      if (action === undefined) throw new Error(`the IdP answered ${res.status} without a form or redirect`);
      const prompt = /name="prompt" value="(\w+)"/.exec(html)?.[1];
      res = await send(new URL(action, idp.issuer).toString(), prompt === 'login' ? { prompt, login, password: 'any password' } : { prompt: prompt ?? 'consent' });
    }
    throw new Error('too many hops at the IdP');
  }

  async function signIn(login: string): Promise<Response> {
    const start = await a.call('/sign-in/social', { body: { provider: 'corp', callbackURL: '/', errorCallbackURL: '/sign-in' } });
    const { url } = (await start.json()) as { url: string };
    const callback = await throughIdp(url, login);
    return a.auth.handler(new Request(callback, { headers: { cookie: cookieOf(start), origin: BASE } }));
  }

  it('a user whose groups grant a role: success, with the provider and the role', async () => {
    const res = await signIn('alice');
    expect(res.status).toBe(302);
    const [row] = listAudit(auditDbOf(a.auth), { action: 'sign-in' }).rows;
    expect(row).toMatchObject({ outcome: 'success', actor: 'alice@corp.example', role: 'analyst', target: 'user:alice@corp.example', detail: { method: 'oidc', provider: 'corp' } });
  });

  it('a user whose groups grant no role: failure, with the reason', async () => {
    const res = await signIn('mallory');
    expect(res.headers.get('location')).toContain('error=no_keyscope_role');
    const [row] = listAudit(auditDbOf(a.auth), { action: 'sign-in' }).rows;
    expect(row).toMatchObject({ outcome: 'failure', actor: 'anonymous', detail: { method: 'oidc', provider: 'corp', reason: 'no_keyscope_role' } });
    expect(listAudit(auditDbOf(a.auth), { action: 'sign-in' }).rows).toHaveLength(2);
  });
});
