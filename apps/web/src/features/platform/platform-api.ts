import type {
  AuthTokenResponse,
  BrandingResponse,
  Impersonation,
  PlatformMember,
  PlatformTenant,
} from '@tenantry/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, refreshSession } from '../../api/client';
import { applyBranding } from '../../boot/branding';
import { navigate } from '../../ui/navigation';
import { session } from '../auth/session';
import { pickedTenant } from '../tenant/picked-tenant';

export function usePlatformMembers(tenantId: string | null) {
  return useQuery({
    queryKey: ['platform', 'members', tenantId],
    queryFn: () => api<PlatformMember[]>(`/platform/tenants/${tenantId}/members`),
    enabled: tenantId !== null,
  });
}

export interface ImpersonationInput {
  tenant: PlatformTenant;
  userId: string;
  reason: string;
}

/** Starts acting as the user: the tab switches into the tenant (its colors, the user's view). */
export function useStartImpersonation() {
  return useMutation({
    mutationFn: ({ tenant, userId, reason }: ImpersonationInput) =>
      api<AuthTokenResponse>('/platform/impersonations', {
        method: 'POST',
        body: { tenantId: tenant.id, userId, reason },
      }),
    onSuccess: async (result) => {
      pickedTenant.set(result.tenant!.slug);
      session.set(result);
      applyBranding(await api<BrandingResponse>('/branding'));
      navigate('/');
    },
  });
}

export function useRequestConsent() {
  return useMutation({
    mutationFn: ({ tenant, userId, reason }: ImpersonationInput) =>
      api<Impersonation>('/platform/impersonation-requests', {
        method: 'POST',
        body: { tenantId: tenant.id, userId, reason },
      }),
  });
}

/** Ends the impersonation and returns to the console as the super admin (from the admin's own session cookie). */
export async function endImpersonation(): Promise<void> {
  await api<void>('/impersonations/end', { method: 'POST' }).catch(() => undefined);
  leaveImpersonation();
  await refreshSession();
  applyBranding(await api<BrandingResponse>('/branding'));
  navigate('/');
}

/** Forgets the impersonated tenant and token in this tab. */
export function leaveImpersonation(): void {
  pickedTenant.clear();
  session.clear();
}

const APPROVALS = ['impersonations'] as const;

export function useImpersonationRequests() {
  return useQuery({ queryKey: APPROVALS, queryFn: () => api<Impersonation[]>('/impersonations') });
}

export function useDecideImpersonation() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, approve }: { id: string; approve: boolean }) =>
      api<Impersonation>(`/impersonations/${id}/${approve ? 'approve' : 'deny'}`, { method: 'POST' }),
    onSettled: () => client.invalidateQueries({ queryKey: APPROVALS }),
  });
}

/** An owner ends a running support session: the operator's token stops working at once. */
export function useEndSupportSession() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api<Impersonation>(`/impersonations/${id}/end`, { method: 'POST' }),
    onSettled: () => client.invalidateQueries({ queryKey: APPROVALS }),
  });
}
