import { defineConfig, devices } from '@playwright/test';
import { loadConfig } from './lib/config';

/**
 * Browser tests drive Debian's Chromium (Playwright's own download cannot work offline).
 * Global setup builds a seeded database, runs `next build` once and starts `next start`
 * servers; their URLs reach the tests through environment variables (support/servers.ts).
 */
const CI = Boolean(process.env.CI);

export default defineConfig({
  testDir: 'test/e2e',
  globalSetup: './test/e2e/global-setup.ts',
  // One server process answers every test; two workers keep the 2-core machines responsive.
  workers: 2,
  fullyParallel: true,
  forbidOnly: CI,
  // No retries: a test that passes only on a second try is a failure to fix (flaky at its cause).
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 15_000 },
  reporter: [
    ['list'],
    ['./test/e2e/support/summary-reporter.ts'],
    ...(CI ? [['html', { open: 'never', outputFolder: 'test-results/e2e-report' }] as const] : []),
  ],
  outputDir: 'test-results/e2e',
  use: {
    ...devices['Desktop Chrome'],
    viewport: { width: 1440, height: 1000 },
    trace: 'retain-on-failure',
    // Not UTC on purpose: the page must show UTC whatever the browser's zone, and agree with the server's HTML.
    timezoneId: 'America/Los_Angeles',
    locale: 'en-US',
    launchOptions: {
      executablePath: loadConfig().chromiumPath,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-dev-shm-usage',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    },
  },
  projects: [
    { name: 'chromium', testIgnore: /screenshots\.spec\.ts/ },
    // `npm run screenshots`: the pictures in docs/screenshots/, not part of the test run.
    { name: 'screenshots', testMatch: /screenshots\.spec\.ts/ },
  ],
});
