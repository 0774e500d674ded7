import { type AuthTokenResponse, can } from '@tenantry/contracts';
import { useMutation } from '@tanstack/react-query';
import { type ReactNode, useEffect, useState } from 'react';
import { api } from '../../api/client';
import { useRealtime } from '../../api/realtime';
import { NavLink } from '../../ui/NavLink';
import { signOut } from '../auth/auth-api';
import { useBranding } from '../branding/branding-api';
import { useFeatures } from '../flags/features-api';
import { useMaintenanceStatus } from '../maintenance/maintenance-api';
import { LimitBanner } from '../plan/LimitBanner';
import { endImpersonation } from '../platform/platform-api';
import { TenantSwitcher } from '../tenant/TenantSwitcher';
import { navigationFor } from './pages';

/** Header with the tenant, the pages the caller may open (as each page declares it, in pages.tsx), and the user. */
export function AppShell({ session: current, children }: { session: AuthTokenResponse; children: ReactNode }) {
  const role = current.role;
  const features = useFeatures(!!current.tenant).data;
  const branding = useBranding();
  const maintenance = useMaintenanceStatus().data;
  useRealtime();
  return (
    <div className="shell">
      <header className="shell-header">
        <span>
          {current.tenant && branding?.logoUrl && (
            <img src={branding.logoUrl} alt="" className="brand-logo" data-testid="brand-logo" />
          )}
          <strong className="shell-tenant" data-testid="tenant-name">
            {current.tenant?.name ?? 'Tenantry platform'}
          </strong>
          {current.tenant && <TenantSwitcher current={current.tenant} />}
        </span>
        <span className="shell-user">
          {current.user.displayName}
          <span className="badge" data-testid="role">
            {role ?? current.user.platformRole}
          </span>
          {!current.impersonation && (
            <button type="button" className="button button-ghost" onClick={() => void signOut()}>
              Sign out
            </button>
          )}
        </span>
      </header>
      <nav className="shell-nav" aria-label="Main">
        {navigationFor(current, features).map((item) => (
          <NavLink key={item.path} to={item.path}>
            {item.label}
          </NavLink>
        ))}
      </nav>
      {maintenance?.active && (
        <div className="banner" role="status" data-testid="maintenance-banner">
          Maintenance is on{maintenance.endsAt ? ` until ${new Date(maintenance.endsAt).toLocaleString()}` : ''}:
          everyone but operators sees the maintenance page.
        </div>
      )}
      {current.readOnly && (
        <div className="read-only-banner" role="status">
          <strong>{current.tenant?.name} is read-only:</strong> its license has expired or is suspended. Everything can
          be read and nothing is lost; changes come back when an owner renews the license
          {can(role, 'members.read') ? ' (see Plan & usage)' : ''}.
        </div>
      )}
      {current.tenant && !current.readOnly && can(role, 'members.read') && <LimitBanner />}
      {current.impersonation && current.tenant && (
        <div className="banner impersonation-banner" role="status" data-testid="impersonation-banner">
          You are viewing {current.tenant.name} as {current.user.displayName} — {current.impersonation.reason} —{' '}
          <TimeLeft until={current.impersonation.expiresAt} />
          <button type="button" className="button" onClick={() => void endImpersonation()}>
            End
          </button>
        </div>
      )}
      {!current.impersonation && !current.user.emailVerified && <VerifyEmailBanner email={current.user.email} />}
      <main className="shell-main">{children}</main>
      {current.tenant && branding?.footerText && <footer className="shell-footer">{branding.footerText}</footer>}
    </div>
  );
}

/** Minutes left until `until`, kept current; not re-announced every minute inside its live banner. */
function TimeLeft({ until }: { until: string }) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 15_000);
    return () => clearInterval(timer);
  }, []);
  const minutes = Math.ceil((new Date(until).getTime() - now) / 60_000);
  return (
    <time
      dateTime={until}
      aria-live="off"
      title={new Date(until).toLocaleString()}
      data-testid="impersonation-time-left"
    >
      {minutes > 1 ? `${minutes} minutes left` : minutes === 1 ? 'less than a minute left' : 'time is up'}
    </time>
  );
}

function VerifyEmailBanner({ email }: { email: string }) {
  const send = useMutation({ mutationFn: () => api<void>('/auth/email/verification', { method: 'POST' }) });
  return (
    <div className="banner" role="status">
      {send.isSuccess ? `A confirmation link is on its way to ${email}.` : `Confirm your email address ${email}.`}
      {!send.isSuccess && (
        <button type="button" className="button button-ghost" onClick={() => send.mutate()} disabled={send.isPending}>
          Send the link again
        </button>
      )}
      {send.error && <span className="error">{send.error.message}</span>}
    </div>
  );
}
