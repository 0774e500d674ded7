// The docs check is plain Node (ESM): its tests run untransformed.
export default {
  displayName: 'docs-check',
  rootDir: '.',
  testEnvironment: 'node',
  testMatch: ['<rootDir>/**/*.spec.mjs'],
  moduleFileExtensions: ['mjs', 'js', 'json'],
  transform: {},
};
