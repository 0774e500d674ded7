import { Releases1765900000000 } from './1765900000000-releases.js';

/** The releases module's migrations, oldest first; `@tenantry/api-schema` runs them with every other module's. */
export const MIGRATIONS = [Releases1765900000000];
