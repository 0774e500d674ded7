import { AuditOnBehalfOf1766250000000 } from './1766250000000-audit-on-behalf-of.js';

/** The audit module's migrations, oldest first; `@tenantry/api-schema` runs them with every other module's. */
export const MIGRATIONS = [AuditOnBehalfOf1766250000000];
