import { type AuthTokenResponse, can } from '@tenantry/contracts';
import { type ReactElement, useEffect, useRef, useState } from 'react';
import type { BootResult } from '../../boot/branding';
import { usePath } from '../../ui/navigation';
import { Notice } from '../../ui/Notice';
import { ApiKeysPage } from '../api-keys/ApiKeysPage';
import { AuditLogPage } from '../audit/AuditLogPage';
import { ConfirmSignupPage } from '../auth/ConfirmSignupPage';
import { ForgotPasswordPage, ResetPasswordPage, VerifyEmailPage } from '../auth/PasswordPages';
import { BrandingPage } from '../branding/BrandingPage';
import { DataPage } from '../data/DataPage';
import { DomainsPage } from '../domains/DomainsPage';
import { AcceptInvitationPage } from '../invitations/AcceptInvitationPage';
import { LoginPage } from '../auth/LoginPage';
import { SignupPage } from '../auth/SignupPage';
import { useSession } from '../auth/use-session';
import { ContactsPage } from '../contacts/ContactsPage';
import { MaintenancePage } from '../maintenance/MaintenancePage';
import { useMaintenanceStatus } from '../maintenance/maintenance-api';
import { MembersPage } from '../members/MembersPage';
import { PlanPage } from '../plan/PlanPage';
import { BillingPage } from '../billing/BillingPage';
import { WelcomePage } from '../onboarding/WelcomePage';
import { WebhooksPage } from '../webhooks/WebhooksPage';
import { FeatureGate } from '../flags/FeatureGate';
import { PlatformConsolePage } from '../platform/PlatformConsolePage';
import { ProfilePage } from '../profile/ProfilePage';
import { SsoConfirmLinkPage } from '../sso/SsoConfirmLinkPage';
import { SsoErrorPage } from '../sso/SsoErrorPage';
import { SsoSettingsPage } from '../sso/SsoSettingsPage';
import { TenantPickerPage } from '../tenant/TenantPickerPage';
import { AppShell } from './AppShell';

/** Chooses the screen from what boot found out, whether someone is signed in, and the address. */
export function App({ boot }: { boot: BootResult }) {
  const current = useSession();
  const path = usePath();
  const [screen, setScreen] = useState<'picker' | 'operator' | 'signup'>('picker');
  // Operators work through maintenance; everyone else sees the page until it ends, then a fresh app.
  const maintenance = useMaintenanceStatus().data;
  const down =
    !!maintenance?.active &&
    current?.user.platformRole !== 'super_admin' &&
    !current?.impersonation &&
    screen !== 'operator';
  const wasDown = useRef(false);
  useEffect(() => {
    if (down) wasDown.current = true;
    else if (wasDown.current) location.reload();
  }, [down]);
  if (down)
    return (
      <MaintenancePage
        status={maintenance}
        onOperatorLogin={boot.kind === 'platform' && !current ? () => setScreen('operator') : undefined}
      />
    );
  if (boot.kind === 'error') {
    if (boot.code === 'TENANT_NOT_FOUND') return <TenantPickerPage notice="There is no tenant at this address." />;
    if (boot.code === 'TENANT_SUSPENDED') {
      const reason = typeof boot.details?.reason === 'string' ? boot.details.reason : null;
      return (
        <Notice title="This workspace is suspended">
          {reason ? `${reason} ` : ''}Ask your administrator or the platform operator to reactivate it.
        </Notice>
      );
    }
    return <Notice title="Tenantry is unavailable">{boot.message}</Notice>;
  }
  const publicPage = PUBLIC_PAGES[path];
  if (publicPage) return publicPage();
  if (!current) {
    if (boot.kind === 'tenant') return <LoginPage tenantName={boot.branding.name} branded />;
    if (screen === 'signup') return <SignupPage onCancel={() => setScreen('picker')} />;
    if (screen === 'operator') return <LoginPage tenantName="the platform console" sso={false} />;
    return <TenantPickerPage onOperatorLogin={() => setScreen('operator')} onSignup={() => setScreen('signup')} />;
  }
  return (
    <AppShell session={current}>
      <Page session={current} />
    </AppShell>
  );
}

/** Pages an emailed link opens, signed in or not. */
const PUBLIC_PAGES: Record<string, () => ReactElement> = {
  '/accept-invitation': () => <AcceptInvitationPage />,
  '/confirm-signup': () => <ConfirmSignupPage />,
  '/forgot-password': () => <ForgotPasswordPage />,
  '/reset-password': () => <ResetPasswordPage />,
  '/verify-email': () => <VerifyEmailPage />,
  '/sso/error': () => <SsoErrorPage />,
  '/sso/confirm-link': () => <SsoConfirmLinkPage />,
};

function Page({ session }: { session: AuthTokenResponse }) {
  const path = usePath();
  // The console: an operator signed in without a tenant.
  if (!session.tenant && session.user.platformRole === 'super_admin' && (path === '/' || path.startsWith('/platform/')))
    return <PlatformConsolePage path={path} />;
  const forbidden = (
    <Notice title="Not available to your role">Ask an owner or admin of {session.tenant?.name ?? 'the tenant'}.</Notice>
  );
  switch (path) {
    case '/':
      return session.tenant ? (
        <ContactsPage role={session.role} />
      ) : (
        <Notice title="No tenant">Pick a tenant to work in it.</Notice>
      );
    case '/settings/members':
      return can(session.role, 'members.read') ? <MembersPage session={session} /> : forbidden;
    case '/settings/api-keys':
      return can(session.role, 'api_keys.manage') ? (
        <FeatureGate feature="api_access">
          <ApiKeysPage session={session} />
        </FeatureGate>
      ) : (
        forbidden
      );
    case '/settings/domains':
      return can(session.role, 'domains.manage') ? <DomainsPage /> : forbidden;
    case '/settings/branding':
      return can(session.role, 'branding.manage') ? (
        <FeatureGate feature="custom_branding">
          <BrandingPage />
        </FeatureGate>
      ) : (
        forbidden
      );
    case '/settings/sso':
      return can(session.role, 'sso.manage') ? (
        <FeatureGate feature="sso">
          <SsoSettingsPage trust={can(session.role, 'sso.trust') && !session.impersonation} />
        </FeatureGate>
      ) : (
        forbidden
      );
    case '/welcome':
      return session.tenant ? <WelcomePage session={session} /> : forbidden;
    case '/settings/billing':
      return can(session.role, 'billing.read') ? (
        <BillingPage canManage={can(session.role, 'billing.manage') && !session.impersonation} />
      ) : (
        forbidden
      );
    case '/settings/plan':
      return can(session.role, 'members.read') ? <PlanPage session={session} /> : forbidden;
    case '/settings/webhooks':
      return can(session.role, 'webhooks.manage') ? <WebhooksPage /> : forbidden;
    case '/settings/data':
      return can(session.role, 'tenant.export') && !session.impersonation ? <DataPage session={session} /> : forbidden;
    case '/settings/audit':
      return can(session.role, 'audit.read') ? <AuditLogPage /> : forbidden;
    case '/profile':
      return <ProfilePage />;
    default:
      return <Notice title="Page not found">There is nothing at {path}.</Notice>;
  }
}
