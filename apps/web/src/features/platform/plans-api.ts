import type { Plan, TenantNearLimits, TenantPlan } from '@tenantry/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client';

const PLANS = ['platform', 'plans'] as const;

export function usePlans() {
  return useQuery({ queryKey: PLANS, queryFn: () => api<Plan[]>('/platform/plans'), staleTime: 60_000 });
}

/** Creates a plan (`isNew`) or replaces a plan's terms. */
export function useSavePlan() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ plan, isNew }: { plan: Plan; isNew: boolean }) => {
      const { code, ...terms } = plan;
      return isNew
        ? api<Plan>('/platform/plans', { method: 'POST', body: plan })
        : api<Plan>(`/platform/plans/${code}`, { method: 'PUT', body: terms });
    },
    onSuccess: () => void client.invalidateQueries({ queryKey: PLANS }),
  });
}

export function useChangeTenantPlan(tenantId: string) {
  return useMutation({
    mutationFn: (plan: string) =>
      api<TenantPlan>(`/platform/tenants/${tenantId}/plan`, { method: 'PUT', body: { plan } }),
  });
}

export function useNearLimits(threshold: number) {
  return useQuery({
    queryKey: ['platform', 'near-limits', threshold],
    queryFn: () => api<TenantNearLimits[]>(`/platform/near-limits?threshold=${threshold}`),
  });
}
