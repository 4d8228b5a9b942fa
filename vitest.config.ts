import { defineConfig } from 'vitest/config';
import { fileURLToPath } from 'node:url';

const INTEGRATION = ['test/conformance/**/*.test.ts', 'test/**/*.int.test.ts', 'tmp/*.test.ts'];

/**
 * Two tiers (STYLE.md 13): `unit` runs on its own; `integration` talks to real servers
 * and starts a genuine Elasticsearch node once for the run (test/support/elasticsearch-node.setup.ts).
 */
export default defineConfig({
  resolve: { alias: { '@': fileURLToPath(new URL('.', import.meta.url)) } },
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Integration suites start servers on loopback; two workers match the 2-core machines.
    maxWorkers: 2,
    reporters: ['default', './test/support/summary-reporter.ts'],
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: ['test/**/*.test.ts'], exclude: ['test/e2e/**', 'node_modules/**', ...INTEGRATION] },
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
