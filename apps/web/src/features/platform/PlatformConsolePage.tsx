import type { ReactElement } from 'react';
import { Notice } from '../../ui/Notice';
import { ConsoleOverview } from './ConsoleOverview';
import { FeaturesSection } from './FeaturesSection';
import { MaintenanceSection } from './MaintenanceSection';
import { PlansCatalog } from './PlansSection';
import { PlatformAuditPage } from './PlatformAuditPage';
import { ReleasesPage } from './ReleasesPage';
import { TenantDetailPage } from './TenantDetailPage';
import { TenantsPage } from './TenantsPage';

/** The console's pages in its navigation (AppShell). */
export const CONSOLE_PAGES = [
  { path: '/', label: 'Overview' },
  { path: '/platform/tenants', label: 'Tenants' },
  { path: '/platform/catalog', label: 'Plans & features' },
  { path: '/platform/maintenance', label: 'Maintenance' },
  { path: '/platform/audit', label: 'Audit log' },
  { path: '/platform/releases', label: 'Releases' },
] as const;

const TENANT_PATH = /^\/platform\/tenants\/([0-9a-f-]{36})(?:\/([a-z]+))?$/;

/** The platform console (super admins signed in without a tenant), one page per address. */
export function PlatformConsolePage({ path }: { path: string }): ReactElement {
  const tenant = TENANT_PATH.exec(path);
  if (tenant) return <TenantDetailPage key={tenant[1]} id={tenant[1]} tab={tenant[2]} />;
  switch (path) {
    case '/':
      return <ConsoleOverview />;
    case '/platform/tenants':
      return <TenantsPage />;
    case '/platform/catalog':
      return (
        <section aria-labelledby="catalog-title">
          <h1 id="catalog-title">Plans &amp; features</h1>
          <PlansCatalog />
          <FeaturesSection />
        </section>
      );
    case '/platform/maintenance':
      return (
        <section aria-labelledby="maintenance-page-title">
          <h1 id="maintenance-page-title">Maintenance</h1>
          <MaintenanceSection />
        </section>
      );
    case '/platform/audit':
      return <PlatformAuditPage />;
    case '/platform/releases':
      return <ReleasesPage />;
    default:
      return <Notice title="Page not found">There is nothing at {path}.</Notice>;
  }
}
