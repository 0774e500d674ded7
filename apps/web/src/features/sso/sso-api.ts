import type { SsoConnection, SsoConnectionRequest, SsoDiscovery } from '@tenantry/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client';

const KEY = ['sso-connections'] as const;

/** "Continue with SSO": finds the connection for the email's domain and goes there (the IdP), coming back to this page. */
export function useContinueWithSso() {
  return useMutation({
    mutationFn: (email: string) => api<SsoDiscovery>(`/sso/discover?email=${encodeURIComponent(email)}`),
    onSuccess: (found) => startSso(found.loginUrl),
  });
}

/** Leaves for the identity provider; the ACS brings the browser back to this page (or `returnTo`), signed in. */
export function startSso(loginUrl: string, returnTo = `${location.pathname}${location.search}`): void {
  location.assign(`${loginUrl}?returnTo=${encodeURIComponent(returnTo)}`);
}

export function useSsoConnections() {
  return useQuery({ queryKey: KEY, queryFn: () => api<SsoConnection[]>('/sso/connections') });
}

export function useSaveSsoConnection() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, input }: { id?: string; input: SsoConnectionRequest }) =>
      api<SsoConnection>(id ? `/sso/connections/${id}` : '/sso/connections', {
        method: id ? 'PATCH' : 'POST',
        body: input,
      }),
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
