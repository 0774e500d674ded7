import type { Page, WebhookDelivery, WebhookEndpoint, WebhookEvent } from '@tenantry/contracts';
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client';

const ENDPOINTS = ['webhooks', 'endpoints'] as const;
const deliveriesKey = (endpointId: string) => ['webhooks', 'deliveries', endpointId] as const;

export function useEndpoints() {
  return useQuery({ queryKey: ENDPOINTS, queryFn: () => api<WebhookEndpoint[]>('/webhooks/endpoints') });
}

export function useCreateEndpoint() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: { url: string; events: WebhookEvent[]; description?: string }) =>
      api<WebhookEndpoint>('/webhooks/endpoints', { method: 'POST', body: input }),
    onSuccess: () => client.invalidateQueries({ queryKey: ENDPOINTS }),
  });
}

/** Enable/disable, delete, rotate the secret (its answer holds the new secret), ping. */
export function useEndpointAction(endpointId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (
      action: { kind: 'enable'; enabled: boolean } | { kind: 'delete' } | { kind: 'rotate' } | { kind: 'ping' },
    ): Promise<WebhookEndpoint | WebhookDelivery | void> => {
      if (action.kind === 'enable')
        return api<WebhookEndpoint>(`/webhooks/endpoints/${endpointId}`, {
          method: 'PATCH',
          body: { enabled: action.enabled },
        });
      if (action.kind === 'delete') return api<void>(`/webhooks/endpoints/${endpointId}`, { method: 'DELETE' });
      if (action.kind === 'rotate')
        return api<WebhookEndpoint>(`/webhooks/endpoints/${endpointId}/secret`, { method: 'POST' });
      return api<WebhookDelivery>(`/webhooks/endpoints/${endpointId}/ping`, { method: 'POST' });
    },
    onSettled: () =>
      Promise.all([
        client.invalidateQueries({ queryKey: ENDPOINTS }),
        client.invalidateQueries({ queryKey: deliveriesKey(endpointId) }),
      ]),
  });
}

/** An endpoint's delivery log, newest first; refreshed every 3 s while a delivery is still pending. */
export function useDeliveries(endpointId: string) {
  return useInfiniteQuery({
    queryKey: deliveriesKey(endpointId),
    initialPageParam: null as string | null,
    queryFn: ({ pageParam }) =>
      api<Page<WebhookDelivery>>(
        `/webhooks/endpoints/${endpointId}/deliveries?limit=25${pageParam ? `&cursor=${pageParam}` : ''}`,
      ),
    getNextPageParam: (last) => last.nextCursor,
    refetchInterval: (query) =>
      query.state.data?.pages.some((p) => p.items.some((d) => d.status === 'pending')) ? 3000 : false,
  });
}

export function useResend(endpointId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (deliveryId: string) =>
      api<WebhookDelivery>(`/webhooks/deliveries/${deliveryId}/resend`, { method: 'POST' }),
    onSettled: () => client.invalidateQueries({ queryKey: deliveriesKey(endpointId) }),
  });
}
