import { Usage1764700000000 } from './1764700000000-usage.js';

/** The licensing module's migrations, oldest first; `@tenantry/api-schema` runs them with every other module's. */
export const MIGRATIONS = [Usage1764700000000];
