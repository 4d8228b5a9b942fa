import { test as base, expect } from '@playwright/test';
import { OnCallPage } from '../pages/oncall-page';
import { ShellPage } from '../pages/shell-page';
import type { Role } from '../../../lib/auth/roles';
import { serverUrl, type ServerName } from './servers';
import { storageStatePath } from './sign-in';

type ConsoleWatch = {
  /** Console errors the test expects (a failed request the page shows as an error panel). */
  allow(pattern: RegExp): void;
};

/**
 * Tests run signed in (`role`, admin by default). Every test fails on a console error or an uncaught page error it did not announce
 * with `consoleErrors.allow`: hydration mismatches and React warnings surface there.
 */
export const test = base.extend<{ server: ServerName; role: Role | null; consoleErrors: ConsoleWatch; oncall: OnCallPage; shell: ShellPage }>({
  server: ['data', { option: true }],
  /** Who the test is signed in as (null: nobody); an admin sees every page. */
  role: ['admin', { option: true }],
  storageState: async ({ role }, use) => use(role === null ? { cookies: [], origins: [] } : storageStatePath(role)),
  baseURL: async ({ server }, use) => use(serverUrl(server)),
  consoleErrors: [
    async ({ page }, use) => {
      const seen: string[] = [];
      const allowed: RegExp[] = [];
      page.on('console', (m) => {
        if (m.type() === 'error') seen.push(m.text());
      });
      page.on('pageerror', (e) => seen.push(`uncaught: ${e.message}`));
      await use({ allow: (p) => allowed.push(p) });
      expect(seen.filter((s) => !allowed.some((p) => p.test(s))), 'console errors').toEqual([]);
    },
    { auto: true },
  ],
  oncall: async ({ page }, use) => use(new OnCallPage(page)),
  shell: async ({ page }, use) => use(new ShellPage(page)),
});

export { expect };
