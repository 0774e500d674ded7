import preset, { databaseGlobalSetup } from '../../../jest.preset.js';

export default { ...preset, displayName: 'api-tenancy', rootDir: '.', globalSetup: databaseGlobalSetup };
