import type { CustomDomain } from '@tenantry/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client';

const KEY = ['custom-domains'] as const;

export function useCustomDomains(enabled: boolean) {
  return useQuery({ queryKey: KEY, queryFn: () => api<CustomDomain[]>('/custom-domains'), enabled });
}

export function useAddCustomDomain() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (hostname: string) => api<CustomDomain>('/custom-domains', { method: 'POST', body: { hostname } }),
    onSuccess: () => client.invalidateQueries({ queryKey: KEY }),
  });
}

export function useVerifyCustomDomain() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api<CustomDomain>(`/custom-domains/${id}/verify`, { method: 'POST' }),
    // A failed check is recorded too (time and reason): refresh either way.
    onSettled: () => client.invalidateQueries({ queryKey: KEY }),
  });
}

export function useRemoveCustomDomain() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api<void>(`/custom-domains/${id}`, { method: 'DELETE' }),
    onSettled: () => client.invalidateQueries({ queryKey: KEY }),
  });
}
