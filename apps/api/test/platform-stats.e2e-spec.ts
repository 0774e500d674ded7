import { REDIS } from '@tenantry/api-core';
import type { ErrorBody, Plan, PlatformStats } from '@tenantry/contracts';
import type { Redis } from 'ioredis';
import { signIn } from './support/sessions.js';
import { withOperator } from './support/console-app.js';

const { t, platform } = withOperator();

const stats = async () => (await platform('get', '/stats').expect(200)).body as PlatformStats;
const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000);
const dropCache = () => t.app.get<Redis>(REDIS).del('platform-stats');

/** A member whose newest session was last used `days` ago. */
async function memberActive(tenant: { id: string; slug: string; name: string }, days: number): Promise<void> {
  const member = await t.data.aMember(tenant, 'member');
  await t.data.query(
    `insert into sessions (user_id, created_at, last_used_at, expires_at) values ($1, $2, $2, now() + interval '30 days')`,
    [member.userId, daysAgo(days)],
  );
}

describe('platform stats', () => {
  it('counts tenants, people, revenue, churn, growth, adoption and limits of a seeded platform', async () => {
    const pro = (await platform('get', '/plans').expect(200)).body as Plan[];
    const proPlan = pro.find((p) => p.code === 'pro')!;
    await platform('put', '/plans/pro')
      .send({ ...proPlan, code: undefined, listPrice: { amount: 4900, currency: 'eur' } })
      .expect(200);

    // Billed by hand on pro (list price), two active people: one this week, one this month.
    const manual = await t.data.aTenant({ plan: 'pro', status: 'active' });
    await memberActive(manual, 3);
    await memberActive(manual, 20);
    // On trial of pro (no revenue), one person last seen 2 months ago; near its limits.
    const trial = await t.data.aTenant({ plan: 'pro', status: 'trial' });
    await memberActive(trial, 60);
    await t.data.query('update tenants set limits_peak = 95 where id = $1', [trial.id]);
    // Suspended on pro: no revenue.
    await t.data.aTenant({ plan: 'pro', status: 'suspended' });
    // A Stripe subscription (usd), 40 days old.
    const stripe = await t.data.aTenant({ plan: 'starter', status: 'active' });
    await t.data.query(
      `update tenants set billing_status = 'active', billing_mrr_cents = 7400, billing_currency = 'usd', created_at = $2 where id = $1`,
      [stripe.id, daysAgo(40)],
    );
    // Churned in the last 30 days: one deleted (60 days old), one whose subscription was canceled (90 days old).
    const deleted = await t.data.aTenant({ plan: 'starter' });
    await t.data.query('update tenants set created_at = $2, deleted_at = $3 where id = $1', [
      deleted.id,
      daysAgo(60),
      daysAgo(10),
    ]);
    const canceled = await t.data.aTenant({ plan: 'free', status: 'active' });
    await t.data.query('update tenants set created_at = $2 where id = $1', [canceled.id, daysAgo(90)]);
    await t.data.query(`insert into billing_accounts (tenant_id, status, updated_at) values ($1, 'canceled', $2)`, [
      canceled.id,
      daysAgo(5),
    ]);

    const s = await stats();
    expect(s.tenants.total).toBe(5);
    expect(s.tenants.byStatus).toEqual({ trial: 1, active: 3, suspended: 1, cancelled: 0 });
    expect(s.tenants.byPlan).toEqual([
      { plan: 'free', name: 'Free', tenants: 1 },
      { plan: 'starter', name: 'Starter', tenants: 1 },
      { plan: 'pro', name: 'Pro', tenants: 3 },
      { plan: 'enterprise', name: 'Enterprise', tenants: 0 },
    ]);
    expect(s.users).toEqual({ total: 3, active7d: 1, active30d: 2 });
    expect(s.revenue.mrr).toEqual([
      { currency: 'usd', amount: 7400 },
      { currency: 'eur', amount: 4900 },
    ]);
    expect(s.revenue.payingTenants).toBe(2);
    // 30 days ago there were three tenants (stripe, deleted, canceled); two of them left.
    expect(s.revenue.churn30d).toEqual({ tenants: 2, rate: 2 / 3 });
    expect(s.growth).toHaveLength(12);
    const thisMonth = s.growth.at(-1)!;
    expect(thisMonth.month).toBe(new Date().toISOString().slice(0, 7));
    expect(thisMonth.total).toBe(5);
    expect(s.growth.reduce((sum, m) => sum + m.created, 0)).toBe(6);
    expect(s.growth.reduce((sum, m) => sum + m.deleted, 0)).toBe(1);
    const adoption = Object.fromEntries(s.featureAdoption.map((f) => [f.feature, f.tenants]));
    expect(adoption).toMatchObject({ sso: 3, api_access: 5, custom_domains: 0 }); // api_access is on by default, also on free
    expect(s.featureAdoption.find((f) => f.feature === 'sso')!.share).toBeCloseTo(0.6);
    expect(s.nearLimits).toBe(1);
    expect(s.history.at(-1)).toEqual({
      day: new Date().toISOString().slice(0, 10),
      tenants: 5,
      payingTenants: 2,
      mrr: s.revenue.mrr,
    });
  });

  it('answers from a cache for a minute, then counts again', async () => {
    await dropCache();
    const first = await stats();
    await t.data.aTenant();
    const second = await stats();
    expect(second).toEqual(first);
    await dropCache();
    const third = await stats();
    expect(third.tenants.total).toBe(first.tenants.total + 1);
    expect(Date.parse(third.computedAt)).toBeGreaterThan(Date.parse(first.computedAt));
  });

  it('is for super admins only', async () => {
    const tenant = await t.data.aTenant();
    const owner = await t.data.aMember(tenant, 'owner');
    const token = (await signIn(t, owner)).accessToken;
    const refused = await t.http
      .get('/api/platform/stats')
      .set('Host', `${tenant.slug}.localhost`)
      .set('Authorization', `Bearer ${token}`)
      .expect(403);
    expect((refused.body as ErrorBody).error.code).toBe('FORBIDDEN');
  });
});
