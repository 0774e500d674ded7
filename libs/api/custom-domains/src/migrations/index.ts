import { CustomDomains1765400000000 } from './1765400000000-custom-domains.js';

/** The custom-domains module's migrations, oldest first; `@tenantry/api-schema` runs them with every other module's. */
export const MIGRATIONS = [CustomDomains1765400000000];
