import type { AuthTokenResponse, JoinOption, MyTenant, SessionInfo, SignupRequest } from '@tenantry/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client';
import { session } from './session';

export function useLogin() {
  return useMutation({
    mutationFn: (body: { email: string; password: string }) =>
      api<AuthTokenResponse>('/auth/login', { method: 'POST', body }),
    onSuccess: (result) => session.set(result),
  });
}

/** Tenants the email's domain may join instead of creating a workspace (asked when the email field is left). */
export function useSignupOptions(email: string) {
  const domain = /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email) ? email.split('@')[1].toLowerCase() : null;
  return useQuery({
    queryKey: ['signup-options', domain],
    queryFn: () => api<JoinOption[]>(`/auth/signup/options?email=${encodeURIComponent(email)}`),
    enabled: domain !== null,
    staleTime: 60_000,
  });
}

/** An account that joins `tenantId` once the mailed link confirms its address. */
export function useSignupToJoin() {
  return useMutation({
    mutationFn: (body: { tenantId: string; displayName: string; email: string; password: string }) =>
      api<void>('/auth/signup/join', { method: 'POST', body }),
  });
}

/** Mails the link that creates the workspace (the answer is the same when the address already has an account). */
export function useSignup() {
  return useMutation({
    mutationFn: (body: SignupRequest) => api<void>('/auth/signup', { method: 'POST', body }),
  });
}

/** Creates the workspace of a mailed signup link and signs its owner in. */
export function useConfirmSignup() {
  return useMutation({
    mutationFn: (token: string) => api<AuthTokenResponse>('/auth/signup/confirm', { method: 'POST', body: { token } }),
  });
}

/** Ends this session on the server (cookie included) and forgets it here. */
export async function signOut(): Promise<void> {
  await api<void>('/auth/logout', { method: 'POST' }).catch(() => undefined);
  session.clear();
}

const SESSIONS = ['auth', 'sessions'] as const;

export function useSessions() {
  return useQuery({ queryKey: SESSIONS, queryFn: () => api<SessionInfo[]>('/auth/sessions') });
}

export function useRevokeSession() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api<void>(`/auth/sessions/${id}`, { method: 'DELETE' }),
    onSuccess: () => client.invalidateQueries({ queryKey: SESSIONS }),
  });
}

export function useLogoutAll() {
  return useMutation({
    mutationFn: () => api<void>('/auth/logout-all', { method: 'POST' }),
    onSuccess: () => session.clear(),
  });
}

export function useChangePassword() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: { currentPassword: string; newPassword: string }) =>
      api<void>('/auth/password', { method: 'POST', body }),
    onSuccess: () => client.invalidateQueries({ queryKey: SESSIONS }),
  });
}

export function useMyTenants() {
  return useQuery({ queryKey: ['me', 'tenants'], queryFn: () => api<MyTenant[]>('/me/tenants') });
}

export function useSwitchTenant() {
  return useMutation({
    mutationFn: (tenant: string) => api<AuthTokenResponse>('/auth/switch-tenant', { method: 'POST', body: { tenant } }),
  });
}

export function useJoinOptions() {
  return useQuery({ queryKey: ['me', 'join-options'], queryFn: () => api<JoinOption[]>('/me/join-options') });
}

export function useJoinTenant() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (tenantId: string) => api<MyTenant>('/me/join', { method: 'POST', body: { tenantId } }),
    onSuccess: () => client.invalidateQueries({ queryKey: ['me'] }),
  });
}
