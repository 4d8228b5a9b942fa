import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

export default tseslint.config(
  { ignores: ['node_modules/**', '.next/**', 'out/**', 'next-env.d.ts', 'coverage/**', 'tools/**/target/**', 'tmp/**', 'test-results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // Only lib/config.ts reads the environment (DESIGN.md, Conventions).
      'no-restricted-properties': ['error', { object: 'process', property: 'env', message: 'Read configuration through lib/config.ts.' }],
    },
  },
  {
    files: ['lib/config.ts', 'scripts/**', 'tools/**', 'test/**', 'bench/**', '*.config.*', 'next.config.js'],
    rules: { 'no-restricted-properties': 'off' },
  },
  {
    // Dashboard code that runs in the browser reaches data only through the API routes
    // (STYLE.md 10); the server-only modules also fail the build if imported here.
    files: ['components/**', 'lib/dashboard/*.ts', 'lib/dashboard/charts/**'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [{
          group: ['**/dashboard/server/*', '**/lib/store', '**/lib/store/*', '**/detect/load-slo-config', 'better-sqlite3', 'node:*'],
          message: 'Browser code must not reach the store, the file system or server-only modules; fetch through lib/dashboard/api-fetcher.ts.',
        }],
      }],
    },
  },
  {
    // The model is the vocabulary every part shares; it depends on nothing of keyscope's
    // (DESIGN.md, "The model"), so the engine, ingest, stores and dashboard can all use it.
    files: ['lib/model/**'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [{
          group: ['@/*', '**/lib/*', '**/ingest/*', '**/engine/*', '**/store/*', '**/queries/*', '**/inventory/*', '**/detect/*', '**/dashboard/*', '**/config'],
          message: 'lib/model imports only lib/model and libraries: move what it needs into lib/model.',
        }],
      }],
    },
  },
);
