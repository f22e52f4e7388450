// Lint rules, including the architecture's package boundaries (docs/architecture.md).
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const impureGlobals = [
  { name: 'Date', message: 'The engine is deterministic: take time from the injected clock (nowMs).' },
  { name: 'setTimeout', message: 'The engine has no timers: schedule events on the simulator.' },
  { name: 'setInterval', message: 'The engine has no timers: schedule events on the simulator.' },
  { name: 'setImmediate', message: 'The engine has no timers: schedule events on the simulator.' },
  { name: 'performance', message: 'The engine is deterministic: take time from the injected clock.' },
  { name: 'crypto', message: 'The engine is deterministic: use the seeded PRNG.' },
  { name: 'Buffer', message: 'The engine runs anywhere: use Uint8Array and DataView.' },
  { name: 'process', message: 'The engine has no I/O or environment.' },
  { name: 'fetch', message: 'The engine has no I/O: go through a port.' },
  { name: 'window', message: 'The engine has no DOM.' },
  { name: 'document', message: 'The engine has no DOM.' },
];

const noDeepImports = {
  patterns: [
    { group: ['@kil/*/src/*', '@kil/*/src'], message: "Import another package through its root ('@kil/engine'), not its internals." },
  ],
};

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/.next/**', 'apps/web/next-env.d.ts', 'test-results/**', 'playwright-report/**', 'bench/results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser }, ecmaVersion: 2023, sourceType: 'module' },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      'no-restricted-imports': ['error', noDeepImports],
    },
  },
  {
    files: ['packages/engine/src/**/*.ts'],
    ignores: ['packages/engine/src/**/*.test.ts'],
    languageOptions: { globals: {} },
    rules: {
      'no-restricted-globals': ['error', ...impureGlobals],
      'no-restricted-properties': [
        'error',
        { object: 'Math', property: 'random', message: 'The engine is deterministic: use the seeded PRNG.' },
        { object: 'Date', property: 'now', message: 'Take time from the injected clock.' },
      ],
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['node:*', 'fs', 'net', 'os', 'path', 'crypto', 'child_process', 'http', 'zlib'], message: 'The engine does no I/O: use a port.' },
            { group: ['@kil/*'], message: 'The engine imports nothing of ours.' },
            { group: ['react', 'react-dom', 'next', 'next/*'], message: 'The engine has no UI.' },
          ],
        },
      ],
    },
  },
  {
    files: ['packages/wire/src/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [...noDeepImports.patterns, { group: ['@kil/web', '@kil/shell', '@kil/lab', '@kil/ui'], message: 'wire may import only the engine.' }] }],
    },
  },
  {
    files: ['packages/shell/src/**/*.ts'],
    // Tests may read transcript files from disk; the shell itself stays text in, text out.
    ignores: ['packages/shell/src/**/*.test.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [...noDeepImports.patterns, { group: ['@kil/wire', '@kil/web', '@kil/lab', '@kil/ui', 'node:*'], message: 'The shell is text in, text out over the engine facade.' }] }],
    },
  },
  {
    files: ['packages/ui/src/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [...noDeepImports.patterns, { group: ['@kil/wire', '@kil/shell', '@kil/lab', 'node:*'], message: 'ui renders engine snapshots only.' }] }],
    },
  },
  {
    files: ['packages/grader/src/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [...noDeepImports.patterns, { group: ['@kil/wire', '@kil/web', '@kil/ui'], message: 'grader may import the engine and the shell.' }] }],
    },
  },
  {
    files: ['packages/client/src/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['@kil/*'], message: 'The client speaks the lab protocol only.' }] }],
    },
  },
  {
    files: ['e2e/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['@kil/*', '../packages/*', '../apps/*'], message: 'e2e tests reach the site over HTTP only.' }] }],
    },
  },
);
