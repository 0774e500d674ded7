import { ContactImports1765300000000 } from './1765300000000-contact-imports.js';

/** The contacts module's migrations, oldest first; `@tenantry/api-schema` runs them with every other module's. */
export const MIGRATIONS = [ContactImports1765300000000];
