import { Foundation1763800000000 } from './1763800000000-foundation.js';
import { Identity1763900000000 } from './1763900000000-identity.js';
import { VerifiedDomains1764000000000 } from './1764000000000-verified-domains.js';
import { Impersonation1764100000000 } from './1764100000000-impersonation.js';
import { SsoConnections1764200000000 } from './1764200000000-sso-connections.js';
import { DomainAutoJoin1764300000000 } from './1764300000000-domain-auto-join.js';
import { SsoLogin1764400000000 } from './1764400000000-sso-login.js';
import { Plans1764500000000 } from './1764500000000-plans.js';
import { Licenses1764600000000 } from './1764600000000-licenses.js';
import { Usage1764700000000 } from './1764700000000-usage.js';
import { TrialsAndLimitWatch1764800000000 } from './1764800000000-trials-and-limit-watch.js';
import { Billing1764900000000 } from './1764900000000-billing.js';
import { BillingReports1765000000000 } from './1765000000000-billing-reports.js';
import { TenantProfile1765100000000 } from './1765100000000-tenant-profile.js';
import { FeatureFlags1765200000000 } from './1765200000000-feature-flags.js';
import { ContactImports1765300000000 } from './1765300000000-contact-imports.js';
import { CustomDomains1765400000000 } from './1765400000000-custom-domains.js';
import { Branding1765500000000 } from './1765500000000-branding.js';
import { Maintenance1765600000000 } from './1765600000000-maintenance.js';
import { TenantLifecycle1765700000000 } from './1765700000000-tenant-lifecycle.js';
import { PlatformConsole1765800000000 } from './1765800000000-platform-console.js';
import { Releases1765900000000 } from './1765900000000-releases.js';
import { Exports1766000000000 } from './1766000000000-exports.js';
import { Webhooks1766100000000 } from './1766100000000-webhooks.js';
import { TenantDatabases1766200000000 } from './1766200000000-tenant-databases.js';
import { AuditOnBehalfOf1766250000000 } from './1766250000000-audit-on-behalf-of.js';
import { SsoTrust1766300000000 } from './1766300000000-sso-trust.js';

/** Every migration, oldest first. Add new ones at the end. */
export const MIGRATIONS = [
  Foundation1763800000000,
  Identity1763900000000,
  VerifiedDomains1764000000000,
  Impersonation1764100000000,
  SsoConnections1764200000000,
  DomainAutoJoin1764300000000,
  SsoLogin1764400000000,
  Plans1764500000000,
  Licenses1764600000000,
  Usage1764700000000,
  TrialsAndLimitWatch1764800000000,
  Billing1764900000000,
  BillingReports1765000000000,
  TenantProfile1765100000000,
  FeatureFlags1765200000000,
  ContactImports1765300000000,
  CustomDomains1765400000000,
  Branding1765500000000,
  Maintenance1765600000000,
  TenantLifecycle1765700000000,
  PlatformConsole1765800000000,
  Releases1765900000000,
  Exports1766000000000,
  Webhooks1766100000000,
  TenantDatabases1766200000000,
  AuditOnBehalfOf1766250000000,
  SsoTrust1766300000000,
];
