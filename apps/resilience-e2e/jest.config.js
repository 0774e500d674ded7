import preset from '../../jest.preset.js';

// Each file runs built API processes of its own and stops, kills or starves them: one file at a time.
export default { ...preset, displayName: 'resilience-e2e', rootDir: '.', testTimeout: 120000, maxWorkers: 1 };
