import { type AuthTokenResponse, can } from '@tenantry/contracts';
import type { ReactNode } from 'react';
import { NavLink } from '../../ui/NavLink';
import { signOut } from '../auth/auth-api';
import { TenantSwitcher } from '../tenant/TenantSwitcher';

/** Header with the tenant, the menus the caller's role allows (from the permission matrix), and the user. */
export function AppShell({ session: current, children }: { session: AuthTokenResponse; children: ReactNode }) {
  const role = current.role;
  return (
    <div className="shell">
      <header className="shell-header">
        <span>
          <strong className="shell-tenant" data-testid="tenant-name">{current.tenant?.name ?? 'Tenantry platform'}</strong>
          {current.tenant && <TenantSwitcher current={current.tenant} />}
        </span>
        <span className="shell-user">
          {current.user.displayName}
          <span className="badge" data-testid="role">{role ?? current.user.platformRole}</span>
          <button type="button" className="button button-ghost" onClick={() => void signOut()}>
            Sign out
          </button>
        </span>
      </header>
      <nav className="shell-nav" aria-label="Main">
        {current.tenant && <NavLink to="/">Contacts</NavLink>}
        {can(role, 'members.read') && <NavLink to="/settings/members">Members</NavLink>}
        {can(role, 'audit.read') && <NavLink to="/settings/audit">Audit log</NavLink>}
        <NavLink to="/profile">Profile</NavLink>
      </nav>
      <main className="shell-main">{children}</main>
    </div>
  );
}
