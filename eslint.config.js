import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', '**/*.js', '**/*.mjs', '.nx/**'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.tsx'],
    plugins: { '@nx': nx },
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // The dependency rule: apps → features → data/util; api and web meet only in shared contracts.
      // The schema (libs/api/schema) collects every module's migrations: above the features, used by apps only.
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          allow: [],
          depConstraints: [
            { sourceTag: 'scope:api', onlyDependOnLibsWithTags: ['scope:api', 'scope:shared'] },
            { sourceTag: 'scope:web', onlyDependOnLibsWithTags: ['scope:web', 'scope:shared'] },
            { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'] },
            {
              sourceTag: 'type:app',
              onlyDependOnLibsWithTags: ['type:schema', 'type:feature', 'type:data', 'type:util'],
            },
            { sourceTag: 'type:schema', onlyDependOnLibsWithTags: ['type:feature', 'type:data', 'type:util'] },
            { sourceTag: 'type:feature', onlyDependOnLibsWithTags: ['type:feature', 'type:data', 'type:util'] },
            { sourceTag: 'type:data', onlyDependOnLibsWithTags: ['type:data', 'type:util'] },
            { sourceTag: 'type:util', onlyDependOnLibsWithTags: ['type:util'] },
          ],
        },
      ],
      // A NestJS + RLS example sets the tenant with an un-awaited query: exactly what these catch.
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': [
        'error',
        { checksVoidReturn: { arguments: false, attributes: false } },
      ],
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'no-restricted-syntax': [
        'error',
        {
          selector: "MemberExpression[object.name='process'][property.name='env']",
          message: 'Read configuration through ConfigService (libs/api/core config).',
        },
        {
          selector: "CallExpression[callee.property.name='enterWith']",
          message: 'Use AsyncLocalStorage.run(): enterWith leaks context into later work.',
        },
      ],
    },
  },
  {
    // The config loader, tests and tools may read the environment directly.
    files: [
      'libs/api/core/src/config.ts',
      '**/test/**',
      '**/*.spec.ts',
      '**/*.int-spec.ts',
      '**/*.e2e-spec.ts',
      'tools/**',
      'apps/api/src/cli/**',
      'apps/api/src/environment.ts',
      'apps/web-e2e/**',
      'apps/resilience-e2e/**',
      'apps/web/vite.config.ts',
    ],
    rules: {
      'no-restricted-syntax': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
      // Tests share the test kit in tools/testing (databases, factories), which is no library of the graph.
      '@nx/enforce-module-boundaries': 'off',
    },
  },
  {
    // Nx loads local generators with require(): they are CommonJS.
    files: ['tools/generators/**/*.cjs'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
