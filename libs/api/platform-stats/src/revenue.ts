import type { MoneyByCurrency } from '@tenantry/contracts';

/** What decides a tenant's share of the MRR (from its row and its plan's list price). */
export interface RevenueInputs {
  status: string;
  billingStatus: string;
  billingMrrCents: number;
  billingCurrency: string | null;
  listPrice: MoneyByCurrency | null;
}

// Subscriptions that still bring money in (past due: until the grace period ends).
const BILLING_PAYING = ['active', 'past_due'];

/**
 * A tenant's monthly revenue: its Stripe subscription's when it has one that
 * pays; otherwise, billed by hand (no subscription) and active (not on trial,
 * suspended or cancelled), its plan's list price; else nothing.
 */
export function monthlyRevenue(t: RevenueInputs): MoneyByCurrency | null {
  if (BILLING_PAYING.includes(t.billingStatus))
    return t.billingCurrency ? { currency: t.billingCurrency, amount: Number(t.billingMrrCents) } : null;
  if (t.billingStatus === 'none' && t.status === 'active' && t.listPrice) return t.listPrice;
  return null;
}

/** Amounts summed per currency, largest first. */
export function sumByCurrency(amounts: (MoneyByCurrency | null)[]): MoneyByCurrency[] {
  const totals = new Map<string, number>();
  for (const a of amounts) if (a) totals.set(a.currency, (totals.get(a.currency) ?? 0) + a.amount);
  return [...totals]
    .map(([currency, amount]) => ({ currency, amount }))
    .sort((a, b) => b.amount - a.amount || a.currency.localeCompare(b.currency));
}
