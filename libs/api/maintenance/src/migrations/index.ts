import { Maintenance1765600000000 } from './1765600000000-maintenance.js';

/** The maintenance module's migrations, oldest first; `@tenantry/api-schema` runs them with every other module's. */
export const MIGRATIONS = [Maintenance1765600000000];
