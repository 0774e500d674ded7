export { TenancyModule } from './tenancy.module.js';
export { TenancyService, type NewTenant } from './tenancy.service.js';
export { CUSTOM_HOSTS, type CustomHosts } from './custom-hosts.js';
export { type TenantLifecycleRow, TenantsRepository } from './tenants.repository.js';
export {
  type TenantFeatureOverrides,
  TenantEntitlementsRepository,
  type TenantTrial,
} from './tenant-entitlements.repository.js';
export { type PastDueTenant, type TenantBilling, TenantBillingRepository } from './tenant-billing.repository.js';
export { type TenantGrowthMonth, type TenantStatsRow, TenantStatsRepository } from './tenant-stats.repository.js';
export type { ConsoleTenantQuery, ConsoleTenantRow } from './tenants.repository.js';
export { byTenantName, TenantDb } from './tenant-db.js';
export { TenantResolverMiddleware } from './tenant-resolver.middleware.js';
// For migrations and the platform path (seed, operator tools, tests).
export {
  APP_ROLE,
  PLATFORM_ROLE,
  TENANT_PREDICATE,
  MEMBERSHIP_OWNER_POLICY,
  createTenantTable,
  type TenantTableSpec,
} from './tenant-table.js';
export { PlatformDatabase } from './platform-database.js';
export {
  type DatabaseConnection,
  DEDICATED_SEARCH_PATH,
  linkSharedTables,
  prepareDedicatedDatabase,
  serverOf,
  type SharedDatabase,
  TenantDatabaseRegistry,
} from './tenant-databases.js';
export { TenantDataSources } from './tenant-data-sources.js';
export { deletionOrder, readTenantCatalog, type TableEdge, type TenantCatalog } from './tenant-catalog.js';
export { moveTenant, type MoveOptions, type MoveResult, type MoveStep } from './tenant-mover.js';
