import type { ExpiringLicense, License, IssueLicenseRequest } from '@tenantry/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client';

const keyOf = (tenantId: string) => ['platform', 'licenses', tenantId] as const;

export function useLicenses(tenantId: string) {
  return useQuery({
    queryKey: keyOf(tenantId),
    queryFn: () => api<License[]>(`/platform/tenants/${tenantId}/licenses`),
  });
}

export function useExpiringLicenses(days: number) {
  return useQuery({
    queryKey: ['platform', 'expiring', days],
    queryFn: () => api<ExpiringLicense[]>(`/platform/licenses/expiring?days=${days}`),
  });
}

/** Issue, renew, suspend or revoke: each refreshes the tenant's licenses and the expiring list. */
export function useLicenseAction(tenantId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (
      action:
        | { kind: 'issue'; input: IssueLicenseRequest }
        | { kind: 'renew'; id: string; validUntil: string | null }
        | { kind: 'suspend' | 'revoke'; id: string },
    ) => {
      const base = `/platform/tenants/${tenantId}/licenses`;
      if (action.kind === 'issue') return api<License>(base, { method: 'POST', body: action.input });
      if (action.kind === 'renew')
        return api<License>(`${base}/${action.id}/renew`, { method: 'POST', body: { validUntil: action.validUntil } });
      return api<License>(`${base}/${action.id}/${action.kind}`, { method: 'POST' });
    },
    onSettled: () => {
      void client.invalidateQueries({ queryKey: keyOf(tenantId) });
      void client.invalidateQueries({ queryKey: ['platform', 'expiring'] });
    },
  });
}
