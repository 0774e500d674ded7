import type { AuthTokenResponse } from '@tenantry/contracts';
import type { ReactNode } from 'react';
import { session } from '../auth/session';

export function AppShell({ session: current, children }: { session: AuthTokenResponse; children: ReactNode }) {
  return (
    <div className="shell">
      <header className="shell-header">
        <strong className="shell-tenant" data-testid="tenant-name">{current.tenant?.name ?? 'Tenantry platform'}</strong>
        <span className="shell-user">
          {current.user.displayName}
          <span className="badge" data-testid="role">{current.role ?? current.user.platformRole}</span>
          <button type="button" className="button button-ghost" onClick={() => session.clear()}>
            Sign out
          </button>
        </span>
      </header>
      <main className="shell-main">{children}</main>
    </div>
  );
}
