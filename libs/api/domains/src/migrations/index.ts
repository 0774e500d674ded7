import { VerifiedDomains1764000000000 } from './1764000000000-verified-domains.js';
import { DomainAutoJoin1764300000000 } from './1764300000000-domain-auto-join.js';

/** The domains module's migrations, oldest first; `@tenantry/api-schema` runs them with every other module's. */
export const MIGRATIONS = [VerifiedDomains1764000000000, DomainAutoJoin1764300000000];
