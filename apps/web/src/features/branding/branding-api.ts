import type { BrandingAsset, BrandingResponse, BrandingSettings } from '@tenantry/contracts';
import { type QueryClient, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, getIfChanged } from '../../api/client';
import { rememberBranding } from '../../boot/branding';

const PUBLIC_KEY = ['branding'] as const;
const SETTINGS_KEY = ['branding', 'settings'] as const;

/** The branding the app paints with (put in the cache at boot; refreshed after an edit). */
export function useBranding(): BrandingResponse | undefined {
  return useQuery({ queryKey: PUBLIC_KEY, queryFn: () => api<BrandingResponse>('/branding'), staleTime: Infinity })
    .data;
}

/** After a change: the new branding is fetched, applied to the page, remembered for the next boot. */
async function refreshPublic(client: QueryClient): Promise<void> {
  const fresh = await getIfChanged<BrandingResponse>('/branding', null);
  if (!fresh) return;
  rememberBranding(fresh.body, fresh.etag);
  client.setQueryData(PUBLIC_KEY, fresh.body);
}

export function useBrandingSettings() {
  return useQuery({ queryKey: SETTINGS_KEY, queryFn: () => api<BrandingSettings>('/branding/settings') });
}

function useBrandingChange<V>(change: (value: V) => Promise<BrandingSettings | void>) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: change,
    onSuccess: async (settings) => {
      if (settings) client.setQueryData(SETTINGS_KEY, settings);
      else await client.invalidateQueries({ queryKey: SETTINGS_KEY });
      await refreshPublic(client);
    },
  });
}

export type BrandingFields = Omit<BrandingSettings, 'logoUrl' | 'faviconUrl' | 'backgroundUrl' | 'updatedAt'>;

export const useSaveBranding = () =>
  useBrandingChange((fields: BrandingFields) => api<BrandingSettings>('/branding', { method: 'PUT', body: fields }));

export const useUploadBrandingImage = () =>
  useBrandingChange(({ kind, file }: { kind: BrandingAsset; file: File }) => {
    const body = new FormData();
    body.append('file', file);
    return api<BrandingSettings>(`/branding/assets/${kind}`, { method: 'PUT', body });
  });

export const useRemoveBrandingImage = () =>
  useBrandingChange((kind: BrandingAsset) => api<BrandingSettings>(`/branding/assets/${kind}`, { method: 'DELETE' }));

export const useResetBranding = () => useBrandingChange(() => api<void>('/branding', { method: 'DELETE' }));
