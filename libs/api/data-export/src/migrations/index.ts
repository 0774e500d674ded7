import { Exports1766000000000 } from './1766000000000-exports.js';

/** The data-export module's migrations, oldest first; `@tenantry/api-schema` runs them with every other module's. */
export const MIGRATIONS = [Exports1766000000000];
