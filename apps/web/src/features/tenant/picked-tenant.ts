const KEY = 'tenantry.tenant';

/**
 * The tenant chosen in the picker, for hosts without a tenant subdomain: sent
 * as X-Tenant. A tenant subdomain, when present, wins on the server.
 */
export const pickedTenant = {
  get: (): string | null => localStorage.getItem(KEY),
  set: (slug: string): void => localStorage.setItem(KEY, slug),
  clear: (): void => localStorage.removeItem(KEY),
};
