import { Webhooks1766100000000 } from './1766100000000-webhooks.js';

/** The webhooks module's migrations, oldest first; `@tenantry/api-schema` runs them with every other module's. */
export const MIGRATIONS = [Webhooks1766100000000];
