import { defineConfig } from 'vitest/config';
import { fileURLToPath } from 'node:url';

/**
 * Tiers by what a test needs (STYLE.md 13), each runnable alone (`npm run test:<tier>`):
 * - unit: pure and in-process, no child processes and no servers of other runtimes;
 * - process: spawns tsx/node children (`*.proc.test.ts`): the CLI, crashes, signals;
 * - integration: a genuine Elasticsearch node, started once for the tier
 *   (test/support/elasticsearch-node.setup.ts): `*.int.test.ts` and the conformance suite.
 * The browser tier (e2e) is Playwright's (playwright.config.ts).
 */
const PROCESS = ['test/**/*.proc.test.ts'];
const INTEGRATION = ['test/conformance/**/*.test.ts', 'test/**/*.int.test.ts'];

export default defineConfig({
  resolve: { alias: { '@': fileURLToPath(new URL('.', import.meta.url)) } },
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Two workers match the 2-core machines.
    maxWorkers: 2,
    reporters: ['default', './test/support/summary-reporter.ts'],
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: ['test/**/*.test.ts'], exclude: ['test/e2e/**', 'node_modules/**', ...PROCESS, ...INTEGRATION] },
      },
      {
        extends: true,
        test: { name: 'process', include: PROCESS, exclude: INTEGRATION, testTimeout: 60_000 },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: INTEGRATION,
          globalSetup: ['test/support/elasticsearch-node.setup.ts'],
          // Starting the JVM and first index creation take a while on 2 cores.
          hookTimeout: 180_000,
          testTimeout: 60_000,
        },
      },
    ],
  },
});
