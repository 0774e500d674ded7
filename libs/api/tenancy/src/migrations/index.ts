import { Foundation1763800000000 } from './1763800000000-foundation.js';
import { Identity1763900000000 } from './1763900000000-identity.js';
import { Impersonation1764100000000 } from './1764100000000-impersonation.js';
import { SsoLogin1764400000000 } from './1764400000000-sso-login.js';
import { Plans1764500000000 } from './1764500000000-plans.js';
import { Licenses1764600000000 } from './1764600000000-licenses.js';
import { TrialsAndLimitWatch1764800000000 } from './1764800000000-trials-and-limit-watch.js';
import { Billing1764900000000 } from './1764900000000-billing.js';
import { BillingReports1765000000000 } from './1765000000000-billing-reports.js';
import { TenantProfile1765100000000 } from './1765100000000-tenant-profile.js';
import { FeatureFlags1765200000000 } from './1765200000000-feature-flags.js';
import { Branding1765500000000 } from './1765500000000-branding.js';
import { TenantLifecycle1765700000000 } from './1765700000000-tenant-lifecycle.js';
import { PlatformConsole1765800000000 } from './1765800000000-platform-console.js';
import { TenantDatabases1766200000000 } from './1766200000000-tenant-databases.js';
import { SsoTrust1766300000000 } from './1766300000000-sso-trust.js';

// What every module's migrations build on: the roles and the tenant-table helper.
export {
  APP_ROLE,
  createTenantTable,
  MEMBERSHIP_OWNER_POLICY,
  PLATFORM_ROLE,
  type TenantTableSpec,
} from '../tenant-table.js';

/**
 * The schema's shared history, oldest first: the migrations written before each table had one owner,
 * several modules' tables in one (never split: databases know them by name), and the tenancy core's own.
 */
export const MIGRATIONS = [
  Foundation1763800000000,
  Identity1763900000000,
  Impersonation1764100000000,
  SsoLogin1764400000000,
  Plans1764500000000,
  Licenses1764600000000,
  TrialsAndLimitWatch1764800000000,
  Billing1764900000000,
  BillingReports1765000000000,
  TenantProfile1765100000000,
  FeatureFlags1765200000000,
  Branding1765500000000,
  TenantLifecycle1765700000000,
  PlatformConsole1765800000000,
  TenantDatabases1766200000000,
  SsoTrust1766300000000,
];
