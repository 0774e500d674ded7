import {
  type AuthTokenResponse,
  can,
  type FeatureCode,
  type Permission,
  type TenantFeatures,
} from '@tenantry/contracts';
import type { ReactElement } from 'react';
import { Notice } from '../../ui/Notice';
import { ApiKeysPage } from '../api-keys/ApiKeysPage';
import { AuditLogPage } from '../audit/AuditLogPage';
import { ConfirmSignupPage } from '../auth/ConfirmSignupPage';
import { ForgotPasswordPage, ResetPasswordPage, VerifyEmailPage } from '../auth/PasswordPages';
import { BillingPage } from '../billing/BillingPage';
import { BrandingPage } from '../branding/BrandingPage';
import { ContactsPage } from '../contacts/ContactsPage';
import { DataPage } from '../data/DataPage';
import { DomainsPage } from '../domains/DomainsPage';
import { AcceptInvitationPage } from '../invitations/AcceptInvitationPage';
import { MembersPage } from '../members/MembersPage';
import { WelcomePage } from '../onboarding/WelcomePage';
import { PlanPage } from '../plan/PlanPage';
import { ConsoleOverview } from '../platform/ConsoleOverview';
import { FeaturesSection } from '../platform/FeaturesSection';
import { MaintenanceSection } from '../platform/MaintenanceSection';
import { PlansCatalog } from '../platform/PlansSection';
import { PlatformAuditPage } from '../platform/PlatformAuditPage';
import { ReleasesPage } from '../platform/ReleasesPage';
import { TenantDetailPage } from '../platform/TenantDetailPage';
import { TenantsPage } from '../platform/TenantsPage';
import { WebhooksPage } from '../webhooks/WebhooksPage';
import { ProfilePage } from '../profile/ProfilePage';
import { SsoConfirmLinkPage } from '../sso/SsoConfirmLinkPage';
import { SsoErrorPage } from '../sso/SsoErrorPage';
import { SsoSettingsPage } from '../sso/SsoSettingsPage';

type Session = AuthTokenResponse;

/**
 * A page of the signed-in app, declared once: its address, who may open it
 * (the navigation shows it by the same rule), the plan feature it needs, and
 * its menu label. The router (router.tsx) and the navigation (AppShell) are
 * both built from these.
 */
export interface AppPage {
  /** The router's path (`$name` for a parameter). */
  path: string;
  /** Its entry in the main navigation, if it has one (a function: it depends on the session). */
  label?: string | ((session: Session) => string);
  /** Who may open it. */
  allowed: (session: Session) => boolean;
  /** A plan feature the page needs: without it the page says so, and the navigation leaves it out. */
  feature?: FeatureCode;
  render: (session: Session, params: Record<string, string>) => ReactElement;
}

/** An operator in the platform console: a super admin signed in without a tenant. */
export const inConsole = (s: Session) => !s.tenant && s.user.platformRole === 'super_admin';
const may = (permission: Permission) => (s: Session) => can(s.role, permission);
const notImpersonating = (s: Session) => !s.impersonation;

/** In navigation order. */
export const APP_PAGES: AppPage[] = [
  {
    path: '/',
    label: (s) => (inConsole(s) ? 'Overview' : 'Contacts'),
    allowed: (s) => !!s.tenant || inConsole(s),
    render: (s) => (s.tenant ? <ContactsPage role={s.role} /> : <ConsoleOverview />),
  },
  { path: '/platform/tenants', label: 'Tenants', allowed: inConsole, render: () => <TenantsPage /> },
  {
    path: '/platform/tenants/$tenantId',
    allowed: inConsole,
    render: (_s, { tenantId }) => <TenantDetailPage key={tenantId} id={tenantId!} tab={undefined} />,
  },
  {
    path: '/platform/tenants/$tenantId/$tab',
    allowed: inConsole,
    render: (_s, { tenantId, tab }) => <TenantDetailPage key={tenantId} id={tenantId!} tab={tab} />,
  },
  {
    path: '/platform/catalog',
    label: 'Plans & features',
    allowed: inConsole,
    render: () => (
      <section aria-labelledby="catalog-title">
        <h1 id="catalog-title">Plans &amp; features</h1>
        <PlansCatalog />
        <FeaturesSection />
      </section>
    ),
  },
  {
    path: '/platform/maintenance',
    label: 'Maintenance',
    allowed: inConsole,
    render: () => (
      <section aria-labelledby="maintenance-page-title">
        <h1 id="maintenance-page-title">Maintenance</h1>
        <MaintenanceSection />
      </section>
    ),
  },
  { path: '/platform/audit', label: 'Audit log', allowed: inConsole, render: () => <PlatformAuditPage /> },
  { path: '/platform/releases', label: 'Releases', allowed: inConsole, render: () => <ReleasesPage /> },
  {
    path: '/settings/members',
    label: 'Members',
    allowed: may('members.read'),
    render: (s) => <MembersPage session={s} />,
  },
  {
    path: '/settings/api-keys',
    label: 'API keys',
    allowed: may('api_keys.manage'),
    feature: 'api_access',
    render: (s) => <ApiKeysPage session={s} />,
  },
  { path: '/settings/domains', label: 'Domains', allowed: may('domains.manage'), render: () => <DomainsPage /> },
  {
    path: '/settings/sso',
    label: 'Single sign-on',
    allowed: may('sso.manage'),
    feature: 'sso',
    render: (s) => <SsoSettingsPage trust={can(s.role, 'sso.trust') && !s.impersonation} />,
  },
  {
    path: '/settings/branding',
    label: 'Branding',
    allowed: may('branding.manage'),
    feature: 'custom_branding',
    render: () => <BrandingPage />,
  },
  {
    path: '/settings/plan',
    label: 'Plan & usage',
    allowed: may('members.read'),
    render: (s) => <PlanPage session={s} />,
  },
  {
    path: '/settings/billing',
    label: 'Billing',
    allowed: may('billing.read'),
    render: (s) => <BillingPage canManage={can(s.role, 'billing.manage') && !s.impersonation} />,
  },
  { path: '/settings/audit', label: 'Audit log', allowed: may('audit.read'), render: () => <AuditLogPage /> },
  { path: '/settings/webhooks', label: 'Webhooks', allowed: may('webhooks.manage'), render: () => <WebhooksPage /> },
  {
    path: '/settings/data',
    label: 'Data',
    allowed: (s) => can(s.role, 'tenant.export') && !s.impersonation,
    render: (s) => <DataPage session={s} />,
  },
  { path: '/welcome', allowed: (s) => !!s.tenant, render: (s) => <WelcomePage session={s} /> },
  { path: '/profile', label: 'Profile', allowed: notImpersonating, render: () => <ProfilePage /> },
];

/** Pages an emailed link opens, signed in or not (no navigation, no shell). */
export const PUBLIC_PAGES: { path: string; render: () => ReactElement }[] = [
  { path: '/accept-invitation', render: () => <AcceptInvitationPage /> },
  { path: '/confirm-signup', render: () => <ConfirmSignupPage /> },
  { path: '/forgot-password', render: () => <ForgotPasswordPage /> },
  { path: '/reset-password', render: () => <ResetPasswordPage /> },
  { path: '/verify-email', render: () => <VerifyEmailPage /> },
  { path: '/sso/error', render: () => <SsoErrorPage /> },
  { path: '/sso/confirm-link', render: () => <SsoConfirmLinkPage /> },
];

/** The main navigation of `session`: every page with a label it may open, whose feature (if any) its tenant has. */
export function navigationFor(
  session: Session,
  features: TenantFeatures | undefined,
): { path: string; label: string }[] {
  return APP_PAGES.filter(
    (page) =>
      page.label !== undefined && page.allowed(session) && (!page.feature || features?.[page.feature].enabled === true),
  ).map((page) => ({
    path: page.path,
    label: typeof page.label === 'function' ? page.label(session) : page.label!,
  }));
}

/** What a page shows someone it is not for. */
export function NotForYou({ session }: { session: Session }) {
  if (!session.tenant && !inConsole(session)) return <Notice title="No tenant">Pick a tenant to work in it.</Notice>;
  return (
    <Notice title="Not available to your role">Ask an owner or admin of {session.tenant?.name ?? 'the tenant'}.</Notice>
  );
}
