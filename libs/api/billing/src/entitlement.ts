import type { BillingStatus, Plan } from '@tenantry/contracts';

export type Entitlement = { state: 'active' | 'suspended'; plan: string; seats: number | null } | { state: 'ended' };

const DAY = 86_400_000;

/** When a past-due subscription's grace ends (the tenant turns read-only then). */
export const graceEnd = (pastDueSince: Date, plan: Pick<Plan, 'graceDays'>) =>
  new Date(pastDueSince.getTime() + plan.graceDays * DAY);

/**
 * What a subscription in `status` entitles its tenant to: trialing and active
 * pay (or will); past due keeps access through the plan's grace days, then
 * read-only; unpaid and paused are read-only; canceled and expired end it.
 * null: no change (`incomplete`: the first payment is still being made).
 */
export function entitlementOf(
  status: BillingStatus,
  plan: Plan,
  seats: number | null,
  pastDueSince: Date | null,
  now: Date,
): Entitlement | null {
  switch (status) {
    case 'trialing':
    case 'active':
      return { state: 'active', plan: plan.code, seats };
    case 'past_due':
      return {
        state: pastDueSince && now >= graceEnd(pastDueSince, plan) ? 'suspended' : 'active',
        plan: plan.code,
        seats,
      };
    case 'unpaid':
    case 'paused':
      return { state: 'suspended', plan: plan.code, seats };
    case 'canceled':
    case 'incomplete_expired':
      return { state: 'ended' };
    case 'incomplete':
    case 'none':
      return null;
  }
}
