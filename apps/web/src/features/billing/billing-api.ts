import type { BillingOverview, RedirectUrl } from '@tenantry/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client';

const KEY = ['billing'] as const;

/** Billing now; `awaitingStripe` (back from Checkout) asks again every 2 s until the subscription shows. */
export function useBilling(awaitingStripe = false) {
  return useQuery({
    queryKey: KEY,
    queryFn: () => api<BillingOverview>('/billing'),
    refetchInterval: (query) =>
      awaitingStripe && query.state.data?.status === 'none' && query.state.dataUpdateCount < 15 ? 2_000 : false,
  });
}

/** Checkout and the Portal answer where the browser goes next (Stripe's pages). */
export function useStripeRedirect() {
  return useMutation({
    mutationFn: (to: { kind: 'checkout'; plan: string; seats?: number } | { kind: 'portal' }) =>
      to.kind === 'checkout'
        ? api<RedirectUrl>('/billing/checkout', { method: 'POST', body: { plan: to.plan, seats: to.seats } })
        : api<RedirectUrl>('/billing/portal', { method: 'POST' }),
    onSuccess: ({ url }) => location.assign(url),
  });
}

/** Seats, plan or cancellation changed in place; the answer is billing as Stripe has it now. */
export function useBillingChange() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (
      change:
        | { kind: 'seats'; seats: number }
        | { kind: 'plan'; plan: string }
        | { kind: 'cancellation'; cancelAtPeriodEnd: boolean },
    ) => {
      const { kind, ...body } = change;
      return api<BillingOverview>(`/billing/${kind}`, { method: 'PUT', body });
    },
    onSuccess: (overview) => {
      client.setQueryData(KEY, overview);
      void client.invalidateQueries({ queryKey: ['tenant-plan'] });
    },
  });
}

export const money = (amount: number, currency: string) =>
  new Intl.NumberFormat(undefined, { style: 'currency', currency: currency.toUpperCase() }).format(amount / 100);
export const day = (iso: string) => new Date(iso).toLocaleDateString();
