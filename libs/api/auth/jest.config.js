import preset, { databaseGlobalSetup } from '../../../jest.preset.js';

export default { ...preset, displayName: 'api-auth', rootDir: '.', globalSetup: databaseGlobalSetup };
