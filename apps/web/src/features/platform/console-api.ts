import type {
  BillingOverview,
  CreatedTenant,
  DedicatedDatabase,
  FeatureCode,
  Page,
  PlatformAuditEvent,
  PlatformStats,
  PlatformTenantDetail,
  PlatformTenantPage,
  PlatformTenantRow,
  PlatformTenantSort,
  TenantStatus,
  CreatePlatformTenantRequest,
} from '@tenantry/contracts';
import { keepPreviousData, useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client';

// Every console view of tenants starts with this key: one invalidation refreshes list, detail and deleted tenants.
const TENANTS = ['platform', 'tenants'] as const;

export interface TenantListFilter {
  q: string;
  status: TenantStatus | '';
  plan: string;
  sort: PlatformTenantSort;
}

/** The console's tenant list: 25 a page, the next page appended ("Load more"). */
export function useTenantList(filter: TenantListFilter) {
  return useInfiniteQuery({
    queryKey: [...TENANTS, 'list', filter],
    initialPageParam: null as string | null,
    queryFn: ({ pageParam }) => {
      const params = new URLSearchParams({ sort: filter.sort, limit: '25' });
      if (filter.q) params.set('q', filter.q);
      if (filter.status) params.set('status', filter.status);
      if (filter.plan) params.set('plan', filter.plan);
      if (pageParam) params.set('cursor', pageParam);
      return api<PlatformTenantPage>(`/platform/tenants?${params}`);
    },
    getNextPageParam: (last) => last.nextCursor,
    placeholderData: keepPreviousData,
  });
}

export function useTenantDetail(id: string) {
  return useQuery({
    queryKey: [...TENANTS, 'detail', id],
    queryFn: () => api<PlatformTenantDetail>(`/platform/tenants/${id}`),
  });
}

export function useTenantBilling(id: string) {
  return useQuery({
    queryKey: [...TENANTS, 'billing', id],
    queryFn: () => api<BillingOverview>(`/platform/tenants/${id}/billing`),
  });
}

/** The registered dedicated databases a new tenant can be placed in (usually none). */
export function useDedicatedDatabases() {
  return useQuery({
    queryKey: ['platform', 'databases'],
    queryFn: () => api<DedicatedDatabase[]>('/platform/databases'),
  });
}

export function useCreateTenant() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: CreatePlatformTenantRequest) =>
      api<CreatedTenant>('/platform/tenants', { method: 'POST', body: input }),
    onSuccess: () => client.invalidateQueries({ queryKey: TENANTS }),
  });
}

export function useUpdateTenant(id: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (change: { name?: string; impersonationConsentRequired?: boolean }) =>
      api<PlatformTenantRow>(`/platform/tenants/${id}`, { method: 'PATCH', body: change }),
    onSettled: () => client.invalidateQueries({ queryKey: TENANTS }),
  });
}

/** A tenant's override of a feature: on, off, or back to what its plan says. */
export function useFeatureOverride() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ tenantId, code, value }: { tenantId: string; code: FeatureCode; value: 'plan' | 'on' | 'off' }) =>
      value === 'plan'
        ? api(`/platform/tenants/${tenantId}/features/${code}`, { method: 'DELETE' })
        : api(`/platform/tenants/${tenantId}/features/${code}`, { method: 'PUT', body: { enabled: value === 'on' } }),
    onSettled: () =>
      Promise.all([
        client.invalidateQueries({ queryKey: ['platform', 'features'] }),
        client.invalidateQueries({ queryKey: TENANTS }),
      ]),
  });
}

export function usePlatformStats() {
  return useQuery({ queryKey: ['platform', 'stats'], queryFn: () => api<PlatformStats>('/platform/stats') });
}

export interface PlatformAuditFilter {
  action: string;
  actor: string;
  from: string;
  to: string;
}

/** The platform's log, newest first, 50 a page. Dates are whole days in the viewer's time zone. */
export function usePlatformAudit(filter: PlatformAuditFilter) {
  return useInfiniteQuery({
    queryKey: ['platform', 'audit', filter],
    initialPageParam: null as string | null,
    queryFn: ({ pageParam }) => {
      const params = new URLSearchParams({ limit: '50' });
      if (filter.action) params.set('action', filter.action);
      if (filter.actor) params.set('actor', filter.actor);
      if (filter.from) params.set('from', new Date(`${filter.from}T00:00`).toISOString());
      if (filter.to) params.set('to', new Date(new Date(`${filter.to}T00:00`).getTime() + 86_400_000).toISOString());
      if (pageParam) params.set('cursor', pageParam);
      return api<Page<PlatformAuditEvent>>(`/platform/audit-events?${params}`);
    },
    getNextPageParam: (last) => last.nextCursor,
  });
}
