// Shared Jest settings: TypeScript through SWC in native ESM mode (NestJS 12 is
// ESM-only), workspace libraries resolved to their sources so tests need no build.
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('.', import.meta.url));

export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts', '.tsx'],
  moduleFileExtensions: ['ts', 'tsx', 'js', 'json'],
  testMatch: ['<rootDir>/**/*.spec.ts', '<rootDir>/**/*.int-spec.ts', '<rootDir>/**/*.e2e-spec.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  transform: {
    '^.+\\.tsx?$': [
      '@swc/jest',
      {
        jsc: {
          parser: { syntax: 'typescript', decorators: true, tsx: true },
          transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
          target: 'es2023',
        },
        module: { type: 'es6' },
      },
    ],
  },
  moduleNameMapper: {
    // The test kit: one module per helper (@tenantry/testing/factories, …), so a test loads only what it uses.
    '^@tenantry/testing/(.*)$': `${root}libs/testing/src/$1.ts`,
    '^@tenantry/contracts$': `${root}libs/contracts/src/index.ts`,
    // A module's migrations entry (`@tenantry/api-<module>/migrations`), before its main one.
    '^@tenantry/api-([^/]*)/migrations$': `${root}libs/api/$1/src/migrations/index.ts`,
    '^@tenantry/api-(.*)$': `${root}libs/api/$1/src/index.ts`,
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  testTimeout: 30000,
};
