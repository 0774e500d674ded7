import type { AuthTokenResponse, Invitation, InvitationPreview, TenantRole } from '@tenantry/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client';
import { session } from '../auth/session';

const KEY = ['invitations'] as const;

export function useInvitations() {
  return useQuery({ queryKey: KEY, queryFn: () => api<Invitation[]>('/invitations') });
}

export function useInvite() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: { email: string; role: TenantRole }) =>
      api<Invitation>('/invitations', { method: 'POST', body }),
    onSuccess: () => client.invalidateQueries({ queryKey: KEY }),
  });
}

export function useResendInvitation() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api<Invitation>(`/invitations/${id}/resend`, { method: 'POST' }),
    onSuccess: () => client.invalidateQueries({ queryKey: KEY }),
  });
}

export function useRevokeInvitation() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api<void>(`/invitations/${id}`, { method: 'DELETE' }),
    onSettled: () => client.invalidateQueries({ queryKey: KEY }),
  });
}

export function useInvitationPreview(token: string) {
  return useQuery({
    queryKey: ['invitation-preview', token],
    queryFn: () => api<InvitationPreview>('/invitations/preview', { method: 'POST', body: { token } }),
    enabled: token.length > 0,
    retry: false,
  });
}

export function useAcceptInvitation() {
  return useMutation({
    mutationFn: (body: { token: string; displayName?: string; password: string }) =>
      api<AuthTokenResponse>('/invitations/accept', { method: 'POST', body }),
    onSuccess: (result) => session.set(result),
  });
}
