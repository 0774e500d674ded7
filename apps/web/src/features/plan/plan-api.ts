import type { TenantPlan } from '@tenantry/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client';

const KEY = ['tenant-plan'] as const;

export function useTenantPlan(enabled = true) {
  return useQuery({ queryKey: KEY, queryFn: () => api<TenantPlan>('/plan'), enabled });
}

/** Starts the tenant's one trial of a plan; the answer is the plan as it is now. */
export function useStartTrial() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (plan: string) => api<TenantPlan>('/plan/trial', { method: 'POST', body: { plan } }),
    onSuccess: (plan) => client.setQueryData(KEY, plan),
  });
}

/** Whole days from now until `iso` (at least 0). */
export const daysUntil = (iso: string) => Math.max(0, Math.ceil((new Date(iso).getTime() - Date.now()) / 86_400_000));

/** Limits at 80 % or more of their use, in words ("9 of 10 seats"), for the near-limit banner. */
export function nearLimits(plan: TenantPlan): string[] {
  const near: string[] = [];
  if (plan.seats.limit !== null && plan.seats.used >= plan.seats.limit * 0.8)
    near.push(`${plan.seats.used} of ${plan.seats.limit} seats`);
  const names = { api_calls: 'API calls', contacts: 'new contacts' } as const;
  for (const [metric, { used, limit }] of Object.entries(plan.usage) as [
    keyof typeof names,
    TenantPlan['usage'][keyof typeof names],
  ][]) {
    if (limit !== null && used >= limit * 0.8)
      near.push(`${used.toLocaleString()} of ${limit.toLocaleString()} ${names[metric]} this month`);
  }
  return near;
}
