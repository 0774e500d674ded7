import { SsoConnections1764200000000 } from './1764200000000-sso-connections.js';

/** The sso module's migrations, oldest first; `@tenantry/api-schema` runs them with every other module's. */
export const MIGRATIONS = [SsoConnections1764200000000];
