import { monthlyRevenue, sumByCurrency } from './revenue.js';

const base = {
  status: 'active',
  billingStatus: 'none',
  billingMrrCents: 0,
  billingCurrency: null,
  listPrice: { currency: 'eur', amount: 4900 },
};

describe('monthly revenue of a tenant', () => {
  it('is the subscription amount while the subscription pays (also past due)', () => {
    expect(monthlyRevenue({ ...base, billingStatus: 'active', billingMrrCents: 7400, billingCurrency: 'usd' })).toEqual(
      { currency: 'usd', amount: 7400 },
    );
    expect(
      monthlyRevenue({ ...base, billingStatus: 'past_due', billingMrrCents: 7400, billingCurrency: 'usd' }),
    ).toEqual({ currency: 'usd', amount: 7400 });
  });

  it('is nothing for a canceled or trialing subscription, even on a priced plan', () => {
    expect(
      monthlyRevenue({ ...base, billingStatus: 'canceled', billingMrrCents: 7400, billingCurrency: 'usd' }),
    ).toBeNull();
    expect(
      monthlyRevenue({ ...base, billingStatus: 'trialing', billingMrrCents: 7400, billingCurrency: 'usd' }),
    ).toBeNull();
  });

  it("is the plan's list price for an active tenant billed by hand, and nothing on trial, suspended or without a price", () => {
    expect(monthlyRevenue(base)).toEqual({ currency: 'eur', amount: 4900 });
    expect(monthlyRevenue({ ...base, status: 'trial' })).toBeNull();
    expect(monthlyRevenue({ ...base, status: 'suspended' })).toBeNull();
    expect(monthlyRevenue({ ...base, listPrice: null })).toBeNull();
  });

  it('sums per currency, largest first', () => {
    expect(
      sumByCurrency([
        { currency: 'eur', amount: 100 },
        null,
        { currency: 'usd', amount: 500 },
        { currency: 'eur', amount: 50 },
      ]),
    ).toEqual([
      { currency: 'usd', amount: 500 },
      { currency: 'eur', amount: 150 },
    ]);
    expect(sumByCurrency([])).toEqual([]);
  });
});
