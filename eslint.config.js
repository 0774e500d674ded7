import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';

// The dependency rule: apps → features → data/util; api and web meet only in shared contracts.
// The schema (libs/api/schema) collects every module's migrations: above the features, used by apps only.
const depConstraints = [
  { sourceTag: 'scope:api', onlyDependOnLibsWithTags: ['scope:api', 'scope:shared'] },
  { sourceTag: 'scope:web', onlyDependOnLibsWithTags: ['scope:web', 'scope:shared'] },
  { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'] },
  { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:schema', 'type:feature', 'type:data', 'type:util'] },
  { sourceTag: 'type:schema', onlyDependOnLibsWithTags: ['type:feature', 'type:data', 'type:util'] },
  { sourceTag: 'type:feature', onlyDependOnLibsWithTags: ['type:feature', 'type:data', 'type:util'] },
  { sourceTag: 'type:data', onlyDependOnLibsWithTags: ['type:data', 'type:util'] },
  { sourceTag: 'type:util', onlyDependOnLibsWithTags: ['type:util'] },
  // The test kit (libs/testing) builds data with the API's own code: hashes, key formats, migrations.
  {
    sourceTag: 'type:testing',
    onlyDependOnLibsWithTags: ['type:testing', 'type:schema', 'type:feature', 'type:data', 'type:util'],
  },
];
// Tests, and only tests, may also use the test kit, whatever their project's scope and type.
const testDepConstraints = depConstraints.map((constraint) => ({
  ...constraint,
  onlyDependOnLibsWithTags: [...constraint.onlyDependOnLibsWithTags, 'type:testing'],
}));
const boundaries = (constraints) => ({
  enforceBuildableLibDependency: false,
  // The demo's identity provider, billing test mode and keys (tools/demo) are scripts `npm start` runs with
  // plain Node, no library: the tests that drive them import them by path.
  allow: ['^(\\.\\./)+tools/demo/[a-z-]+\\.js$'],
  depConstraints: constraints,
  // A lib's tests use the test kit, which uses the lib: a cycle through test files only.
  ignoredCircularDependencies: [['testing', '*']],
});
// Test files: specs beside the code, a project's test/ folder, the browser and process test apps.
const testFiles = [
  '**/*.spec.ts',
  '**/*.int-spec.ts',
  '**/*.e2e-spec.ts',
  '**/test/**',
  'apps/web-e2e/**',
  'apps/resilience-e2e/**',
];

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
      '@nx/enforce-module-boundaries': ['error', boundaries(depConstraints)],
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
      ...testFiles,
      'libs/testing/**',
      'tools/**',
      'apps/api/src/cli/**',
      'apps/api/src/environment.ts',
      'apps/web/vite.config.ts',
    ],
    rules: {
      'no-restricted-syntax': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  {
    files: testFiles,
    rules: { '@nx/enforce-module-boundaries': ['error', boundaries(testDepConstraints)] },
  },
  {
    // Nx loads local generators with require(): they are CommonJS.
    files: ['tools/generators/**/*.cjs'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
