import type { Plan, TenantPlan } from '@tenantry/contracts';
import type { TestTenant } from '@tenantry/testing/factories';
import { signIn, signUp } from './support/sessions.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { errorOf } from './support/error-body.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
  // A plan of 6 seats: the owner and 5 free ones.
  await t.data.query(`insert into plans (code, name, seats) values ('six', 'Six seats', 6)`);
});
afterAll(() => t.close());

const as = (tenant: TestTenant, token: string) => ({
  get: (path: string) =>
    t.http.get(`/api${path}`).set('Host', `${tenant.slug}.localhost`).set('Authorization', `Bearer ${token}`),
  post: (path: string) =>
    t.http.post(`/api${path}`).set('Host', `${tenant.slug}.localhost`).set('Authorization', `Bearer ${token}`),
});

async function sixSeatTenant() {
  const tenant = await t.data.aTenant({ plan: 'six' });
  const owner = as(tenant, (await signIn(t, await t.data.aMember(tenant, 'owner'))).accessToken);
  return { tenant, owner };
}

describe('seats', () => {
  it('shows the plan and the seats taken by members and pending invitations', async () => {
    const { tenant, owner } = await sixSeatTenant();
    await t.data.aMember(tenant, 'member');
    await owner.post('/invitations').send({ email: 'pending@example.test', role: 'member' }).expect(201);
    const plan = (await owner.get('/plan').expect(200)).body as TenantPlan;
    expect(plan).toMatchObject({
      plan: { code: 'six', name: 'Six seats', seats: 6 },
      license: null,
      seats: { used: 3, limit: 6 },
    });
  });

  it('lets exactly the free seats through when 50 invitations race for 5 of them', async () => {
    const { owner } = await sixSeatTenant();
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        owner.post('/invitations').send({ email: `racer-${i}@example.test`, role: 'member' }),
      ),
    );
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(5);
    expect(statuses.filter((s) => s === 402)).toHaveLength(45);
    expect(errorOf(results.find((r) => r.status === 402)!)).toMatchObject({
      code: 'SEAT_LIMIT_REACHED',
      details: { used: 6, limit: 6 },
    });
    expect(((await owner.get('/plan').expect(200)).body as TenantPlan).seats).toEqual({ used: 6, limit: 6 });
  });

  it('lets an invitation that holds a seat be accepted on a full plan, and re-inviting a pending address takes no second seat', async () => {
    const { tenant, owner } = await sixSeatTenant();
    for (let i = 0; i < 4; i++)
      await owner
        .post('/invitations')
        .send({ email: `full-${i}@example.test`, role: 'member' })
        .expect(201);
    await owner.post('/invitations').send({ email: 'last@example.test', role: 'member' }).expect(201);
    await owner.post('/invitations').send({ email: 'last@example.test', role: 'viewer' }).expect(201); // renewed, same seat
    expect(
      errorOf(await owner.post('/invitations').send({ email: 'one-too-many@example.test', role: 'member' }).expect(402))
        .code,
    ).toBe('SEAT_LIMIT_REACHED');

    const mail = await t.mailbox.waitFor('last@example.test', /invit/i, 1);
    const token = new URL(mail.links[0]).hash.replace('#token=', '');
    await t.http
      .post('/api/invitations/accept')
      .set('Host', `${tenant.slug}.localhost`)
      .send({ token, displayName: 'Last One', password: 'a long and unusual passphrase' })
      .expect(200);
    expect(((await owner.get('/plan').expect(200)).body as TenantPlan).seats).toEqual({ used: 6, limit: 6 });
  });

  it('keeps the seat of each invitation accepted while new invitations race for the rest', async () => {
    const { tenant, owner } = await sixSeatTenant();
    const invited = ['early-0', 'early-1', 'early-2'].map((name) => `${name}@${tenant.slug}.test`);
    for (const email of invited) await owner.post('/invitations').send({ email, role: 'member' }).expect(201);
    const tokens = await Promise.all(
      invited.map(async (email) =>
        new URL((await t.mailbox.waitFor(email, /invit/i)).links[0]).hash.replace('#token=', ''),
      ),
    );
    // 4 of 6 seats taken (owner + 3 invitations): 3 accepts and 10 new invitations at once.
    const accepts = tokens.map((token, i) =>
      t.http
        .post('/api/invitations/accept')
        .set('Host', `${tenant.slug}.localhost`)
        .send({ token, displayName: `Early ${i}`, password: 'a long and unusual passphrase' }),
    );
    const invites = Array.from({ length: 10 }, (_, i) =>
      owner.post('/invitations').send({ email: `late-${i}@example.test`, role: 'member' }),
    );
    const [accepted, newInvites] = await Promise.all([Promise.all(accepts), Promise.all(invites)]);
    expect(accepted.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(newInvites.filter((r) => r.status === 201)).toHaveLength(2);
    expect(newInvites.filter((r) => r.status === 402)).toHaveLength(8);
    expect(((await owner.get('/plan').expect(200)).body as TenantPlan).seats).toEqual({ used: 6, limit: 6 });
  });

  it('lets exactly the free seats through when people race to join by their email domain', async () => {
    const { tenant, owner } = await sixSeatTenant();
    for (let i = 0; i < 3; i++) await t.data.aMember(tenant, 'member');
    await t.data.aDomain(tenant, `${tenant.slug}-corp.test`);
    await t.data.query(`update verified_domains set auto_join = true where tenant_id = $1`, [tenant.id]);
    const elsewhere = await t.data.aTenant();
    const joiners = await Promise.all(
      Array.from({ length: 10 }, async (_, i) => {
        const person = await t.data.aMember(elsewhere, 'member', { email: `joiner-${i}@${tenant.slug}-corp.test` });
        await t.data.query('update users set email_verified_at = now() where id = $1', [person.userId]);
        return as(elsewhere, (await signIn(t, person)).accessToken);
      }),
    );
    const results = await Promise.all(joiners.map((j) => j.post('/me/join').send({ tenantId: tenant.id })));
    expect(results.filter((r) => r.status === 201)).toHaveLength(2);
    expect(results.filter((r) => r.status === 402)).toHaveLength(8);
    expect(((await owner.get('/plan').expect(200)).body as TenantPlan).seats).toEqual({ used: 6, limit: 6 });
  });
});

describe('plans in the platform console', () => {
  it('lists the catalog and moves a tenant to a smaller plan: new people are blocked, nobody is removed', async () => {
    const root = await t.data.aSuperAdmin();
    const operator = (
      await t.http.post('/api/auth/login').send({ email: root.email, password: root.password }).expect(200)
    ).body.accessToken as string;
    const plans = (await t.http.get('/api/platform/plans').set('Authorization', `Bearer ${operator}`).expect(200))
      .body as Plan[];
    expect(plans.map((p) => p.code)).toEqual(expect.arrayContaining(['free', 'starter', 'pro', 'enterprise']));
    expect(plans.find((p) => p.code === 'free')).toMatchObject({
      seats: 5,
      monthlyLimits: { api_calls: 10000, contacts: 500 },
    });

    const tenant = await t.data.aTenant({ plan: 'pro' });
    const owner = as(tenant, (await signIn(t, await t.data.aMember(tenant, 'owner'))).accessToken);
    for (let i = 0; i < 6; i++) await t.data.aMember(tenant, 'member');
    const moved = await t.http
      .put(`/api/platform/tenants/${tenant.id}/plan`)
      .set('Authorization', `Bearer ${operator}`)
      .send({ plan: 'free' })
      .expect(200);
    expect((moved.body as TenantPlan).seats).toEqual({ used: 7, limit: 5 });
    expect(
      errorOf(await owner.post('/invitations').send({ email: 'blocked@example.test', role: 'member' }).expect(402)),
    ).toMatchObject({ code: 'SEAT_LIMIT_REACHED', details: { used: 7, limit: 5 } });
    expect(((await owner.get('/plan').expect(200)).body as TenantPlan).seats.used).toBe(7);
    const { rows } = await t.data.query(
      `select metadata from audit_events where tenant_id = $1 and action = 'tenant.plan_changed'`,
      [tenant.id],
    );
    expect(rows).toEqual([{ metadata: { from: 'pro', to: 'free' } }]);

    expect(
      errorOf(
        await t.http
          .put(`/api/platform/tenants/${tenant.id}/plan`)
          .set('Authorization', `Bearer ${operator}`)
          .send({ plan: 'gold' })
          .expect(404),
      ).code,
    ).toBe('PLAN_NOT_FOUND');
    expect(errorOf(await owner.get('/platform/plans').expect(403)).code).toBe('FORBIDDEN');
  });

  it('puts new workspaces on the free plan', async () => {
    const res = await signUp(t, {
      tenantName: 'Fresh Co',
      slug: 'fresh-co',
      displayName: 'Fran',
      email: 'fran@fresh.test',
      password: 'a long and unusual passphrase',
    });
    const fresh = { id: res.body.tenant.id as string, slug: 'fresh-co', name: 'Fresh Co' };
    expect(
      (
        await as(fresh, res.body.accessToken as string)
          .get('/plan')
          .expect(200)
      ).body,
    ).toMatchObject({ plan: { code: 'free' }, seats: { used: 1, limit: 5 } });
  });
});
