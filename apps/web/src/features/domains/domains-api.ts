import type { VerifiedDomain } from '@tenantry/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client';

const KEY = ['domains'] as const;

export function useDomains() {
  return useQuery({ queryKey: KEY, queryFn: () => api<VerifiedDomain[]>('/domains') });
}

export function useClaimDomain() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (domain: string) => api<VerifiedDomain>('/domains', { method: 'POST', body: { domain } }),
    onSuccess: () => client.invalidateQueries({ queryKey: KEY }),
  });
}

export function useVerifyDomain() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api<VerifiedDomain>(`/domains/${id}/verify`, { method: 'POST' }),
    // A failed check is recorded too (time and reason): refresh either way.
    onSettled: () => client.invalidateQueries({ queryKey: KEY }),
  });
}

export function useRemoveDomain() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api<void>(`/domains/${id}`, { method: 'DELETE' }),
    onSettled: () => client.invalidateQueries({ queryKey: KEY }),
  });
}

/** Auto-join and SSO-required switches of a verified domain. */
export function useDomainSettings() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, ...settings }: { id: string; autoJoin?: boolean; ssoRequired?: boolean }) =>
      api<VerifiedDomain>(`/domains/${id}`, { method: 'PATCH', body: settings }),
    onSettled: () => client.invalidateQueries({ queryKey: KEY }),
  });
}
