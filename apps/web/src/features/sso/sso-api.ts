import type { SsoConnection, TenantRole } from '@tenantry/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client';

const KEY = ['sso-connections'] as const;

export interface SsoConnectionInput {
  name?: string;
  metadataXml?: string;
  idpEntityId?: string;
  idpSsoUrl?: string;
  idpCertificate?: string;
  defaultRole?: TenantRole;
  enabled?: boolean;
  attributeMapping?: { groups?: string };
}

export function useSsoConnections() {
  return useQuery({ queryKey: KEY, queryFn: () => api<SsoConnection[]>('/sso/connections') });
}

export function useSaveSsoConnection() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, input }: { id?: string; input: SsoConnectionInput }) =>
      api<SsoConnection>(id ? `/sso/connections/${id}` : '/sso/connections', { method: id ? 'PATCH' : 'POST', body: input }),
    onSuccess: () => client.invalidateQueries({ queryKey: KEY }),
  });
}

export function useRemoveSsoConnection() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api<void>(`/sso/connections/${id}`, { method: 'DELETE' }),
    onSettled: () => client.invalidateQueries({ queryKey: KEY }),
  });
}
