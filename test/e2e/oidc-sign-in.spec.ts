import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { startIdp, type IdpUser } from './support/oidc-idp';
import { freePort, startServer, stopServer } from './support/servers';
import { newAuthSecret } from './support/sign-in';
import { expect, test } from './support/fixtures';

/**
 * Sign-in through a real OpenID Provider started here on loopback, with its own dashboard
 * (the build global setup made) configured by a keyscope config file: groups map to roles.
 */
const USERS: IdpUser[] = [
  { login: 'alice', email: 'alice@corp.example', name: 'Alice Analyst', groups: ['everyone', 'kms-security'] },
  { login: 'victor', email: 'victor@corp.example', name: 'Victor Viewer', groups: ['everyone', 'sre'] },
  { login: 'mallory', email: 'mallory@corp.example', name: 'Mallory', groups: ['everyone', 'marketing'] },
];

let dir: string;
let dashboard: { url: string; proc: ChildProcess };
let idp: Awaited<ReturnType<typeof startIdp>>;

test.describe('sign-in with an OpenID Provider', () => {
  test.describe.configure({ mode: 'serial' });
  test.use({ role: null });

  test.beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'keyscope-oidc-'));
    const [idpPort, port] = [await freePort(), await freePort()];
    const url = `http://127.0.0.1:${port}`;
    idp = await startIdp({ port: idpPort, clientId: 'keyscope', clientSecret: 'e2e-client-secret', redirectUri: `${url}/api/auth/callback/corp`, users: USERS });
    const config = {
      auth: {
        oidc: [{
          id: 'corp', name: 'Corp SSO', discoveryUrl: `${idp.issuer}/.well-known/openid-configuration`, clientId: 'keyscope', clientSecret: 'e2e-client-secret',
          roles: { 'kms-security': 'analyst', sre: 'viewer' },
        }],
      },
    };
    writeFileSync(join(dir, 'keyscope.config.json'), JSON.stringify(config));
    dashboard = await startServer('oidc', join(dir, 'no-store', 'keyscope.db'), dir, {
      KEYSCOPE_CONFIG: join(dir, 'keyscope.config.json'), KEYSCOPE_AUTH_DB: join(dir, 'auth.db'), KEYSCOPE_AUTH_SECRET: newAuthSecret(), KEYSCOPE_PUBLIC_URL: url,
    }, port);
  });

  test.afterAll(async () => {
    stopServer(dashboard.proc);
    await idp.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  async function signInAs(page: Page, login: string, path: string): Promise<void> {
    // The provider's development pages link a web font; nothing may be fetched from the web.
    await page.route('https://fonts.googleapis.com/**', (r) => r.fulfill({ status: 200, contentType: 'text/css', body: '' }));
    await page.goto(`${dashboard.url}${path}`);
    await page.getByRole('button', { name: 'Sign in with Corp SSO' }).click();
    await page.locator('input[name=login]').fill(login);
    await page.locator('input[name=password]').fill('any password');
    await page.getByRole('button', { name: 'Sign-in' }).click();
    await page.getByRole('button', { name: 'Continue' }).click();
  }

  test('an analyst by group sees the analyst pages, not the admin ones', async ({ page, consoleErrors }) => {
    consoleErrors.allow(/status of 40[13]/);
    await signInAs(page, 'alice', '/security');
    await expect(page).toHaveURL(`${dashboard.url}/security`);
    // This dashboard has no store yet: the analyst is let in and told how to get data.
    await expect(page.getByTestId('no-data-yet')).toBeVisible();
    await expect(page.getByTestId('signed-in-as')).toContainText('alice@corp.example');
    await expect(page.getByTestId('signed-in-as')).toContainText('analyst');
    await page.goto(`${dashboard.url}/blast-radius`);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Blast radius');
    const refused = await page.goto(`${dashboard.url}/admin/users`);
    expect(refused?.status()).toBe(403);
    await expect(page.getByTestId('forbidden')).toContainText('analyst');
  });

  test('a viewer by group sees on-call and rotation and is refused security', async ({ page, consoleErrors }) => {
    consoleErrors.allow(/status of 40[13]/);
    await signInAs(page, 'victor', '/rotation');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Rotation');
    await expect(page.getByTestId('signed-in-as')).toContainText('viewer');
    await expect(page.getByRole('navigation', { name: 'Main' }).getByRole('link')).toHaveText(['On-call', 'Rotation']);
    for (const path of ['/security', '/alerts', '/blast-radius', '/posture']) {
      const res = await page.goto(`${dashboard.url}${path}`);
      expect(res?.status(), path).toBe(403);
      await expect(page.getByTestId('forbidden')).toContainText('viewer');
    }
    const api = await page.request.get(`${dashboard.url}/api/admin/users`);
    expect(api.status()).toBe(403);
  });

  test('someone whose groups map to no role cannot sign in, and is told why', async ({ page, consoleErrors }) => {
    consoleErrors.allow(/status of 40[13]/);
    await signInAs(page, 'mallory', '/rotation');
    await expect(page).toHaveURL(/\/sign-in\?error=no_keyscope_role/);
    await expect(page.getByTestId('sign-in').getByRole('alert')).toContainText('grant no keyscope role');
    const res = await page.goto(`${dashboard.url}/rotation`);
    expect(res?.status()).toBe(401);
  });
});
