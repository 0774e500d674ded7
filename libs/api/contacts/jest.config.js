import preset, { databaseGlobalSetup } from '../../../jest.preset.js';

export default { ...preset, displayName: 'api-contacts', rootDir: '.', globalSetup: databaseGlobalSetup };
