import type { BrandingResponse } from '@tenantry/contracts';
import { ApiError, getIfChanged } from '../api/client';
import { pickedTenant } from '../features/tenant/picked-tenant';

/**
 * One cached branding per tenant: on a shared address (tenant picked with
 * X-Tenant) the next boot must not show the previous tenant's name and colors.
 */
const cacheKey = () => `tenantry.branding:${pickedTenant.get() ?? ''}`;
interface Cached {
  etag: string | null;
  branding: BrandingResponse;
}

export type BootResult =
  | { kind: 'tenant'; branding: BrandingResponse }
  | { kind: 'platform'; branding: BrandingResponse }
  | { kind: 'error'; code: string; message: string; details?: Record<string, unknown> };

/** Sets the brand custom properties on :root (dropping ones no longer set), the title and the favicon. */
export function applyBranding(branding: BrandingResponse, root: HTMLElement = document.documentElement): void {
  for (const name of [...root.style])
    if (name.startsWith('--brand-') && !(name in branding.cssVariables)) root.style.removeProperty(name);
  for (const [name, value] of Object.entries(branding.cssVariables)) root.style.setProperty(name, value);
  document.title = branding.name;
  let icon = document.querySelector<HTMLLinkElement>('link[rel="icon"]');
  if (!icon) {
    icon = document.createElement('link');
    icon.rel = 'icon';
    document.head.append(icon);
  }
  icon.href = branding.faviconUrl ?? 'data:,';
}

function readCache(): Cached | null {
  try {
    const cached = JSON.parse(localStorage.getItem(cacheKey()) ?? 'null') as Cached | null;
    return cached?.branding?.cssVariables ? cached : null;
  } catch {
    return null;
  }
}

/** Applies and remembers a branding fetched from the API (the editor calls it after a save). */
export function rememberBranding(branding: BrandingResponse, etag: string | null): void {
  applyBranding(branding);
  localStorage.setItem(cacheKey(), JSON.stringify({ etag, branding } satisfies Cached));
}

const resultOf = (branding: BrandingResponse): BootResult =>
  branding.tenant ? { kind: 'tenant', branding } : { kind: 'platform', branding };

/** Fetches the branding unless the cached copy is still current (ETag); applies and keeps a changed one. */
async function revalidate(cached: Cached | null): Promise<BootResult> {
  try {
    const fresh = await getIfChanged<BrandingResponse>('/branding', cached?.etag ?? null);
    if (!fresh) return resultOf(cached!.branding);
    rememberBranding(fresh.body, fresh.etag);
    return resultOf(fresh.body);
  } catch (error) {
    localStorage.removeItem(cacheKey());
    if (error instanceof ApiError)
      return { kind: 'error', code: error.code, message: error.message, details: error.details };
    return { kind: 'error', code: 'NETWORK', message: 'The service cannot be reached.' };
  }
}

/**
 * Runs before React mounts. A host seen before paints at once with its
 * cached branding, revalidated in the background (a changed one is applied
 * when it arrives; another tenant or an error reloads). A first visit waits
 * for the branding, so the first paint is already branded; index.html shows a
 * default-themed "Loading…" only when that takes long.
 */
export async function bootBranding(): Promise<BootResult> {
  const cached = readCache();
  if (!cached) return revalidate(null);
  applyBranding(cached.branding);
  void revalidate(cached).then((result) => {
    const sameTenant = result.kind !== 'error' && result.branding.tenant?.id === cached.branding.tenant?.id;
    if (!sameTenant) location.reload();
  });
  return resultOf(cached.branding);
}
