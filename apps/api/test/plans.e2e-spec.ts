import { LimitWatch, Trials } from '@tenantry/api-licensing';
import type { Plan, TenantNearLimits, TenantPlan } from '@tenantry/contracts';
import type { TestTenant } from '@tenantry/testing/factories';
import { signIn } from './support/sessions.js';
import { withOperator } from './support/console-app.js';
import { errorOf } from './support/error-body.js';

const DAY = 86_400_000;
const { t, platform } = withOperator();

const as = (tenant: TestTenant, token: string) => ({
  get: (path: string) =>
    t.http.get(`/api${path}`).set('Host', `${tenant.slug}.localhost`).set('Authorization', `Bearer ${token}`),
  post: (path: string) =>
    t.http.post(`/api${path}`).set('Host', `${tenant.slug}.localhost`).set('Authorization', `Bearer ${token}`),
});

async function tenantWithOwner(plan: string) {
  const tenant = await t.data.aTenant({ plan });
  const owner = await t.data.aMember(tenant, 'owner');
  return { tenant, owner, api: as(tenant, (await signIn(t, owner)).accessToken) };
}

const terms = (fields: Partial<Plan> = {}) => ({
  name: 'Team',
  seats: 3,
  monthlyLimits: { api_calls: 1000, contacts: null },
  rateLimitPerMinute: 100,
  features: ['api_access'],
  trialDays: 0,
  ...fields,
});

describe('the plans catalog in the platform console', () => {
  it('takes a new plan, and changed terms reach the tenants on it at once', async () => {
    const created = (
      await platform('post', '/plans')
        .send({ code: 'team', ...terms() })
        .expect(201)
    ).body as Plan;
    expect(created).toEqual({
      code: 'team',
      name: 'Team',
      seats: 3,
      monthlyLimits: { api_calls: 1000 },
      rateLimitPerMinute: 100,
      features: ['api_access'],
      trialDays: 0,
      graceDays: 7,
      stripePriceId: null,
      stripeSeatPriceId: null,
      listPrice: null,
    });
    expect(((await platform('get', '/plans').expect(200)).body as Plan[]).at(-1)?.code).toBe('team');

    const { tenant, api } = await tenantWithOwner('team');
    await api.post('/invitations').send({ email: 'a@example.test', role: 'member' }).expect(201);
    await api.post('/invitations').send({ email: 'b@example.test', role: 'member' }).expect(201);
    expect(
      errorOf(await api.post('/invitations').send({ email: 'c@example.test', role: 'member' }).expect(402)),
    ).toMatchObject({ code: 'SEAT_LIMIT_REACHED', details: { used: 3, limit: 3 } });
    expect((await api.get('/plan').expect(200)).headers['ratelimit-limit']).toBe('100');

    const updated = (
      await platform('put', '/plans/team')
        .send(terms({ name: 'Team+', seats: 4, rateLimitPerMinute: 200 }))
        .expect(200)
    ).body as Plan;
    expect(updated).toMatchObject({ name: 'Team+', seats: 4, rateLimitPerMinute: 200 });
    await api.post('/invitations').send({ email: 'c@example.test', role: 'member' }).expect(201);
    const plan = await api.get('/plan').expect(200);
    expect(plan.headers['ratelimit-limit']).toBe('200');
    expect(plan.body as TenantPlan).toMatchObject({
      plan: { code: 'team', name: 'Team+' },
      seats: { used: 4, limit: 4 },
    });

    // Fewer seats than in use: new people are blocked, nobody is removed.
    await platform('put', '/plans/team')
      .send(terms({ seats: 2 }))
      .expect(200);
    expect(((await api.get('/plan').expect(200)).body as TenantPlan).seats).toEqual({ used: 4, limit: 2 });
    expect(
      errorOf(await api.post('/invitations').send({ email: 'd@example.test', role: 'member' }).expect(402)).code,
    ).toBe('SEAT_LIMIT_REACHED');
    expect(
      (await t.data.query('select count(*)::int as n from memberships where tenant_id = $1', [tenant.id])).rows[0].n,
    ).toBe(1);
  });

  it('refuses a taken code, an unknown plan, bad terms, and anyone but a super admin', async () => {
    expect(
      errorOf(
        await platform('post', '/plans')
          .send({ code: 'free', ...terms() })
          .expect(409),
      ).code,
    ).toBe('PLAN_EXISTS');
    expect(errorOf(await platform('put', '/plans/gold').send(terms()).expect(404)).code).toBe('PLAN_NOT_FOUND');
    for (const bad of [
      { features: ['teleport'] },
      { seats: 0 },
      { monthlyLimits: { api_calls: -1 } },
      { trialDays: 400 },
      { name: '' },
    ]) {
      const res = await platform('put', '/plans/free')
        .send(terms(bad as Partial<Plan>))
        .expect(400);
      expect(errorOf(res).code).toBe('VALIDATION_FAILED');
    }
    expect(
      errorOf(
        await platform('post', '/plans')
          .send({ code: 'Bad Code', ...terms() })
          .expect(400),
      ).code,
    ).toBe('VALIDATION_FAILED');
    expect(((await platform('get', '/plans').expect(200)).body as Plan[]).find((p) => p.code === 'free')).toMatchObject(
      {
        seats: 5,
        trialDays: 0,
      },
    );

    const { api } = await tenantWithOwner('free');
    expect(
      errorOf(
        await api
          .post('/platform/plans')
          .send({ code: 'mine', ...terms() })
          .expect(403),
      ).code,
    ).toBe('FORBIDDEN');
  });
});

describe('trials', () => {
  it('let a tenant try a plan once, remind its owners, and take it back to its plan at the end', async () => {
    const { tenant, owner, api } = await tenantWithOwner('free');
    const before = (await api.get('/plan').expect(200)).body as TenantPlan;
    expect(before.trial).toBeNull();
    expect(before.trialOffers).toEqual([
      { code: 'starter', name: 'Starter', trialDays: 14 },
      { code: 'pro', name: 'Pro', trialDays: 14 },
      { code: 'enterprise', name: 'Enterprise', trialDays: 30 },
    ]);

    const started = (await api.post('/plan/trial').send({ plan: 'pro' }).expect(200)).body as TenantPlan;
    expect(started).toMatchObject({
      plan: { code: 'pro' },
      seats: { limit: 50 },
      trial: { plan: 'pro', planAfter: 'free' },
      trialOffers: [],
    });
    const endsAt = new Date(started.trial!.endsAt).getTime();
    expect(Math.abs(endsAt - (Date.now() + 14 * DAY))).toBeLessThan(60_000);
    expect(errorOf(await api.post('/plan/trial').send({ plan: 'starter' }).expect(409))).toMatchObject({
      code: 'TRIAL_NOT_AVAILABLE',
      details: { reason: 'used' },
    });

    const trials = t.app.get(Trials);
    const mails = () =>
      t.mailbox
        .to(owner.email)
        .filter((m) => m.subject.includes('trial'))
        .map((m) => m.subject);
    await trials.endAndRemind(new Date(endsAt - 5 * DAY)); // not yet
    await trials.endAndRemind(new Date(endsAt - 2 * DAY));
    await trials.endAndRemind(new Date(endsAt - DAY)); // reminded once
    await t.mailbox.waitFor(owner.email, /trial/);
    expect(mails()).toEqual([expect.stringMatching(new RegExp(`^The Pro trial of ${tenant.name} ends on `))]);

    await trials.endAndRemind(new Date(endsAt + 1000));
    await t.mailbox.waitFor(owner.email, /trial/, 1);
    expect(mails()[1]).toBe(`The Pro trial of ${tenant.name} has ended`);
    const after = (await api.get('/plan').expect(200)).body as TenantPlan;
    expect(after).toMatchObject({ plan: { code: 'free' }, seats: { limit: 5 }, trial: null, trialOffers: [] });
    const { rows } = await t.data.query(
      `select action, actor_label from audit_events where tenant_id = $1 and action like 'plan.trial%' order by created_at`,
      [tenant.id],
    );
    expect(rows).toEqual([
      { action: 'plan.trial_started', actor_label: owner.email },
      { action: 'plan.trial_ended', actor_label: 'trial job' },
    ]);
  });

  it('end for good when the console moves the tenant to a plan', async () => {
    const { tenant, api } = await tenantWithOwner('free');
    await api.post('/plan/trial').send({ plan: 'starter' }).expect(200);
    await platform('put', `/tenants/${tenant.id}/plan`).send({ plan: 'pro' }).expect(200);
    await t.app.get(Trials).endAndRemind(new Date(Date.now() + 30 * DAY));
    expect((await api.get('/plan').expect(200)).body).toMatchObject({ plan: { code: 'pro' }, trial: null });
  });

  it('are refused to licensed tenants, for plans without trial days, and to members', async () => {
    const licensed = await tenantWithOwner('free');
    await platform('post', `/tenants/${licensed.tenant.id}/licenses`)
      .send({ plan: 'starter', validUntil: null })
      .expect(201);
    expect((await licensed.api.get('/plan').expect(200)).body.trialOffers).toEqual([]);
    expect(errorOf(await licensed.api.post('/plan/trial').send({ plan: 'pro' }).expect(409)).details).toEqual({
      reason: 'licensed',
    });

    const { tenant, api } = await tenantWithOwner('starter');
    expect(errorOf(await api.post('/plan/trial').send({ plan: 'free' }).expect(409)).details).toEqual({
      reason: 'no_trial',
    });
    expect(errorOf(await api.post('/plan/trial').send({ plan: 'starter' }).expect(409)).details).toEqual({
      reason: 'current_plan',
    });
    expect(errorOf(await api.post('/plan/trial').send({ plan: 'gold' }).expect(404)).code).toBe('PLAN_NOT_FOUND');
    const member = as(tenant, (await signIn(t, await t.data.aMember(tenant, 'member'))).accessToken);
    expect(errorOf(await member.post('/plan/trial').send({ plan: 'pro' }).expect(403)).code).toBe('FORBIDDEN');
  });
});

describe('tenants near their limits', () => {
  it('are listed for the console after the periodic check, fullest first', async () => {
    await platform('post', '/plans')
      .send({ code: 'ten', ...terms({ name: 'Ten', seats: 10, monthlyLimits: { api_calls: 100, contacts: 10 } }) })
      .expect(201);
    const crowded = await tenantWithOwner('ten');
    for (let i = 0; i < 8; i++) await t.data.aMember(crowded.tenant, 'member'); // 9 of 10 seats
    const busy = await tenantWithOwner('ten');
    for (let i = 0; i < 8; i++)
      await busy.api
        .post('/contacts')
        .send({ name: `Contact ${i}` })
        .expect(201); // 8 of 10 contacts
    const quiet = await tenantWithOwner('ten');

    await t.app.get(LimitWatch).checkAll();
    const near = (await platform('get', '/near-limits').expect(200)).body as TenantNearLimits[];
    const ids = near.map((n) => n.tenant.id);
    expect(ids.indexOf(crowded.tenant.id)).toBeLessThan(ids.indexOf(busy.tenant.id));
    expect(ids).not.toContain(quiet.tenant.id);
    expect(near.find((n) => n.tenant.id === crowded.tenant.id)).toMatchObject({
      plan: 'ten',
      peak: 90,
      limits: [
        { name: 'seats', used: 9, limit: 10 },
        { name: 'api_calls', used: 0, limit: 100 },
        { name: 'contacts', used: 0, limit: 10 },
      ],
    });
    expect(near.find((n) => n.tenant.id === busy.tenant.id)).toMatchObject({
      peak: 80,
      limits: expect.arrayContaining([{ name: 'contacts', used: 8, limit: 10 }]),
    });

    const over85 = (await platform('get', '/near-limits').query({ threshold: 85 }).expect(200))
      .body as TenantNearLimits[];
    expect(over85.map((n) => n.tenant.id)).toContain(crowded.tenant.id);
    expect(over85.map((n) => n.tenant.id)).not.toContain(busy.tenant.id);
    expect(errorOf(await platform('get', '/near-limits').query({ threshold: 0 }).expect(400)).code).toBe(
      'VALIDATION_FAILED',
    );
  });

  it('stops when its job is cancelled (the instance shutting down), checking no further tenant until the next run', async () => {
    const { tenant } = await tenantWithOwner('starter');
    const checkedAt = async () =>
      (
        await t.data.query<{ at: Date | null }>('select limits_checked_at as at from tenants where id = $1', [
          tenant.id,
        ])
      ).rows[0].at;
    const shutdown = new AbortController();
    shutdown.abort(new Error('the server is shutting down'));
    await expect(t.app.get(LimitWatch).checkAll(shutdown.signal)).rejects.toThrow('the server is shutting down');
    expect(await checkedAt()).toBeNull();
    await t.app.get(LimitWatch).checkAll();
    expect(await checkedAt()).toBeInstanceOf(Date);
  });
});
