import type { TenantPlan } from '@tenantry/contracts';
import { useQuery } from '@tanstack/react-query';
import { api } from '../../api/client';

export function useTenantPlan() {
  return useQuery({ queryKey: ['tenant-plan'], queryFn: () => api<TenantPlan>('/plan') });
}
