import type { BrandingResponse } from '@tenantry/contracts';
import { api, ApiError } from '../api/client';
import { pickedTenant } from '../features/tenant/picked-tenant';

/**
 * One cached branding per tenant: on a shared address (tenant picked with
 * X-Tenant) the next boot must not show the previous tenant's name and colors.
 */
const cacheKey = () => `tenantry.branding:${pickedTenant.get() ?? ''}`;

export type BootResult =
  | { kind: 'tenant'; branding: BrandingResponse }
  | { kind: 'platform'; branding: BrandingResponse }
  | { kind: 'error'; code: string; message: string };

/** Sets the brand CSS custom properties on :root, and the title. */
export function applyBranding(branding: BrandingResponse, root: HTMLElement = document.documentElement): void {
  root.style.setProperty('--brand-primary', branding.primaryColor);
  root.style.setProperty('--brand-on-primary', branding.onPrimaryColor);
  document.title = branding.name;
}

/**
 * Runs before React mounts: the last known branding of this host is applied
 * at once (no flash of the default theme), then the current one is fetched
 * and applied, and remembered for the next boot.
 */
export async function bootBranding(): Promise<BootResult> {
  const CACHE_KEY = cacheKey();
  const cached = localStorage.getItem(CACHE_KEY);
  if (cached) applyBranding(JSON.parse(cached) as BrandingResponse);
  try {
    const branding = await api<BrandingResponse>('/branding');
    applyBranding(branding);
    localStorage.setItem(CACHE_KEY, JSON.stringify(branding));
    return branding.tenant ? { kind: 'tenant', branding } : { kind: 'platform', branding };
  } catch (error) {
    localStorage.removeItem(CACHE_KEY);
    if (error instanceof ApiError) return { kind: 'error', code: error.code, message: error.message };
    return { kind: 'error', code: 'NETWORK', message: 'The service cannot be reached.' };
  }
}
