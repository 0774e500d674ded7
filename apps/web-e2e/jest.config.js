import preset from '../../jest.preset.js';

export default { ...preset, displayName: 'web-e2e', rootDir: '.', testTimeout: 60000 };
