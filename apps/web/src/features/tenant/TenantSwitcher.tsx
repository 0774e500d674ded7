import type { TenantSummary } from '@tenantry/contracts';
import { useId } from 'react';
import { ApiError } from '../../api/client';
import { useMyTenants, useSwitchTenant } from '../auth/auth-api';
import { pickedTenant } from './picked-tenant';

/**
 * Lists the caller's tenants. On a shared address the switch happens in
 * place (new access token, membership checked, then a reload for the new
 * tenant's branding); on a tenant's own subdomain it opens the other tenant's
 * address, which keeps its own session. A session a tenant's identity
 * provider started is good there only: the switch then leads to the other
 * tenant's sign-in page, which says so.
 */
export function TenantSwitcher({ current }: { current: TenantSummary }) {
  const tenants = useMyTenants();
  const switchTenant = useSwitchTenant();
  const id = useId();
  if (!tenants.data || tenants.data.length < 2) return null;

  const onChange = (slug: string) => {
    if (!pickedTenant.get()) {
      const base = location.hostname.split('.').slice(1).join('.');
      location.assign(`${location.protocol}//${slug}.${base}${location.port ? `:${location.port}` : ''}/`);
      return;
    }
    switchTenant.mutate(slug, {
      onSuccess: () => {
        pickedTenant.set(slug);
        location.assign('/');
      },
      onError: (error) => {
        // Signed in through another tenant's identity provider: that tenant's sign-in page says why.
        if (error instanceof ApiError && error.code === 'SSO_SESSION_TENANT_BOUND') {
          pickedTenant.set(slug);
          location.assign('/');
        }
      },
    });
  };
  return (
    <span className="switcher">
      <label htmlFor={id} className="sr-only">
        Switch tenant
      </label>
      <select id={id} value={current.slug} onChange={(e) => onChange(e.target.value)} disabled={switchTenant.isPending}>
        {tenants.data.map(({ tenant, role }) => (
          <option key={tenant.id} value={tenant.slug}>
            {tenant.name} ({role})
          </option>
        ))}
      </select>
      {switchTenant.error instanceof ApiError && (
        <span role="alert" className="error">
          {switchTenant.error.message}
        </span>
      )}
    </span>
  );
}
