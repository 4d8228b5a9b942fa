import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

export default tseslint.config(
  { ignores: ['node_modules/**', '.next/**', 'out/**', 'next-env.d.ts', 'coverage/**', 'tools/**/target/**'] },
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
);
