import type { FeatureCode, TenantFeatures } from '@tenantry/contracts';
import { useQuery } from '@tanstack/react-query';
import { api } from '../../api/client';

/** The tenant's features (GET /api/features), kept for a minute; the API enforces them either way. */
export function useFeatures(enabled = true) {
  return useQuery({
    queryKey: ['features'],
    queryFn: () => api<TenantFeatures>('/features'),
    staleTime: 60_000,
    enabled,
  });
}

/** Whether the tenant has `code`; false until known, so menus appear rather than vanish. */
export function useFeature(code: FeatureCode): boolean {
  return useFeatures().data?.[code].enabled ?? false;
}
