import preset, { databaseGlobalSetup } from '../../jest.preset.js';

export default { ...preset, displayName: 'api', rootDir: '.', globalSetup: databaseGlobalSetup };
