import type { Plan } from '@tenantry/contracts';
import { entitlementOf } from './entitlement.js';

const pro = { code: 'pro', graceDays: 7 } as Plan;
const now = new Date('2026-11-20T12:00:00Z');
const daysAgo = (n: number) => new Date(now.getTime() - n * 86_400_000);

describe('entitlementOf', () => {
  it('gives trialing and active subscriptions their plan and seats', () => {
    expect(entitlementOf('trialing', pro, 12, null, now)).toEqual({ state: 'active', plan: 'pro', seats: 12 });
    expect(entitlementOf('active', pro, 3, null, now)).toEqual({ state: 'active', plan: 'pro', seats: 3 });
  });

  it('keeps a past-due tenant working through the grace days, then read-only', () => {
    expect(entitlementOf('past_due', pro, 3, daysAgo(6), now)).toMatchObject({ state: 'active' });
    expect(entitlementOf('past_due', pro, 3, daysAgo(7), now)).toMatchObject({ state: 'suspended' });
    expect(entitlementOf('past_due', { ...pro, graceDays: 0 }, 3, now, now)).toMatchObject({ state: 'suspended' });
  });

  it('makes unpaid and paused read-only, ends canceled and expired ones, and waits on incomplete', () => {
    expect(entitlementOf('unpaid', pro, 3, null, now)).toMatchObject({ state: 'suspended' });
    expect(entitlementOf('paused', pro, 3, null, now)).toMatchObject({ state: 'suspended' });
    expect(entitlementOf('canceled', pro, 3, null, now)).toEqual({ state: 'ended' });
    expect(entitlementOf('incomplete_expired', pro, 3, null, now)).toEqual({ state: 'ended' });
    expect(entitlementOf('incomplete', pro, 3, null, now)).toBeNull();
  });
});
