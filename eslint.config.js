// Lint for every TypeScript/JavaScript file in the repository (run by `npm test` and `pnpm lint`). The rule set is
// the recommended one of ESLint and typescript-eslint — rules that catch bugs — plus, where a tsconfig gives type
// information, the promise rules (an un-awaited promise hides its rejection). Formatting is not linted: the code
// keeps its own style.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

// Files some tsconfig.json includes: linted with type information.
const TYPED = ['packages/*/src/**/*.ts', 'packages/native/test/**/*.ts', 'benchmarks/src/**/*.ts', 'tests/**/*.ts'];

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '**/dist/**',
      '**/target/**',
      'packages/native/npm/**',
      'benchmarks/results/**',
      '**/*.d.ts',
      '**/*.generated.ts',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node }, ecmaVersion: 2023, sourceType: 'module' },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // `any` is deliberate where it appears (parsed JSON in tests, untyped peer libraries in the benchmarks).
      '@typescript-eslint/no-explicit-any': 'off',
      // `_`-prefixed names are deliberately unused (destructuring a field away, an interface's parameter).
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
    },
  },
  {
    // The dashboard's page script runs in the browser.
    files: ['packages/sdk/assets/**/*.js'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    files: TYPED,
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false, attributes: false } }],
      '@typescript-eslint/await-thenable': 'error',
    },
  },
);
