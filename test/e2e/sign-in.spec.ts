import { randomUUID } from 'node:crypto';
import type { Page } from '@playwright/test';
import { createLocalUser } from '../../lib/auth/users';
import { openE2eAuth } from './support/sign-in';
import { expect, test } from './support/fixtures';

/** Local accounts (email and password): made by an admin, never by sign-up. */
async function localAccount(role: 'analyst' | 'viewer'): Promise<{ email: string; password: string }> {
  const made = await openE2eAuth();
  try {
    const { user, password } = await createLocalUser(made.auth, { email: `${role}-${randomUUID().slice(0, 8)}@local.test`, role });
    return { email: user.email, password };
  } finally {
    made.db.close();
  }
}

async function fillSignIn(page: Page, email: string, password: string): Promise<void> {
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
}

test.describe('local accounts', () => {
  test.use({ role: null });

  test('a page without a session answers 401 with the sign-in form, and signing in lands on it', async ({ page, consoleErrors }) => {
    consoleErrors.allow(/status of 401/);
    const { email, password } = await localAccount('analyst');
    const res = await page.goto('/oncall');
    expect(res?.status()).toBe(401);
    await expect(page.getByRole('heading', { name: 'Sign in to keyscope' })).toBeVisible();
    await expect(page.getByText('there is no sign-up')).toBeVisible();
    await fillSignIn(page, email, password);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('On-call');
    await expect(page.getByTestId('signed-in-as')).toContainText(`${email}analyst`);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await expect(page).toHaveURL(/\/sign-in$/);
    expect((await page.goto('/oncall'))?.status()).toBe(401);
  });

  test('a wrong password is refused', async ({ page, consoleErrors }) => {
    consoleErrors.allow(/status of 401/);
    const { email } = await localAccount('viewer');
    await page.goto('/sign-in');
    await fillSignIn(page, email, 'not the password at all');
    await expect(page.getByTestId('sign-in').getByRole('alert')).toHaveText('Wrong email or password.');
  });

  test('a viewer is refused the analyst pages with a 403 that says why', async ({ page, consoleErrors }) => {
    consoleErrors.allow(/status of 403/);
    const { email, password } = await localAccount('viewer');
    await page.goto('/sign-in?next=/security');
    await fillSignIn(page, email, password);
    await expect(page.getByTestId('forbidden')).toContainText('with the role viewer');
    expect((await page.reload())?.status()).toBe(403);
    await expect(page.getByRole('navigation', { name: 'Main' }).getByRole('link')).toHaveText(['On-call', 'Rotation']);
  });
});

test.describe('the admin users page', () => {
  test('an admin makes a local account and it can sign in', async ({ page, browser, consoleErrors }) => {
    consoleErrors.allow(/status of 401/);
    await page.goto('/admin/users');
    const email = `made-${randomUUID().slice(0, 8)}@local.test`;
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Role').selectOption('executive');
    await page.getByRole('button', { name: 'Create account' }).click();
    const created = page.getByTestId('created-user');
    await expect(created).toContainText(email);
    await expect(page.getByTestId('users')).toContainText(email);
    const password = (await created.locator('code').textContent())!;

    const other = await browser.newContext({ storageState: { cookies: [], origins: [] } });
    const p2 = await other.newPage();
    await p2.goto(`${new URL(page.url()).origin}/posture`);
    await fillSignIn(p2, email, password);
    await expect(p2.getByRole('heading', { level: 1 })).toHaveText('Posture');
    await other.close();
  });
});
