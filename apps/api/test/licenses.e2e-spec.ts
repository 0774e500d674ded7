import { generateLicenseKeyPair, LicensingService, verifyLicenseKey } from '@tenantry/api-licensing';
import type { ExpiringLicense, License, TenantPlan } from '@tenantry/contracts';
import type { TestMember, TestTenant } from '@tenantry/testing/factories';
import { signIn } from './support/sessions.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { codeOf } from './support/error-body.js';

const issuerKeys = generateLicenseKeyPair();
const DAY = 86_400_000;
let t: TestApp;
let operator: string;

beforeAll(async () => {
  t = await startTestApp({ env: { LICENSE_SIGNING_KEY: issuerKeys.privateKey } });
  const root = await t.data.aSuperAdmin();
  operator = (await t.http.post('/api/auth/login').send({ email: root.email, password: root.password }).expect(200))
    .body.accessToken as string;
});
afterAll(() => t.close());

const console_ = {
  get: (path: string) => t.http.get(`/api/platform${path}`).set('Authorization', `Bearer ${operator}`),
  post: (path: string) => t.http.post(`/api/platform${path}`).set('Authorization', `Bearer ${operator}`),
};

async function licensedTenant(license: { plan: string; seats?: number; validUntil: string | null }) {
  const tenant = await t.data.aTenant({ plan: 'free' });
  const owner = await t.data.aMember(tenant, 'owner');
  const token = (await signIn(t, owner)).accessToken;
  const issued = (await console_.post(`/tenants/${tenant.id}/licenses`).send(license).expect(201)).body as License;
  return { tenant, owner, token, license: issued };
}
const as = (tenant: TestTenant, token: string) => ({
  get: (path: string) =>
    t.http.get(`/api${path}`).set('Host', `${tenant.slug}.localhost`).set('Authorization', `Bearer ${token}`),
  post: (path: string) =>
    t.http.post(`/api${path}`).set('Host', `${tenant.slug}.localhost`).set('Authorization', `Bearer ${token}`),
});
const login = (tenant: TestTenant, member: TestMember) =>
  t.http
    .post('/api/auth/login')
    .set('Host', `${tenant.slug}.localhost`)
    .send({ email: member.email, password: member.password });

describe('licenses', () => {
  it('are issued with a signed key that verifies offline, and set the plan and seats of the tenant', async () => {
    const validUntil = new Date(Date.now() + 90 * DAY).toISOString();
    const { tenant, token, license } = await licensedTenant({ plan: 'starter', seats: 3, validUntil });
    expect(license).toMatchObject({ tenantId: tenant.id, plan: 'starter', seats: 3, status: 'active', validUntil });
    expect(verifyLicenseKey(license.key, issuerKeys.publicKey)).toMatchObject({
      licenseId: license.id,
      tenantId: tenant.id,
      plan: 'starter',
      seats: 3,
      validUntil,
      features: ['api_access', 'contacts.import'],
    });

    const owner = as(tenant, token);
    expect((await owner.get('/plan').expect(200)).body).toMatchObject({
      plan: { code: 'starter' },
      license: { status: 'active', validUntil, seats: 3 },
      seats: { used: 1, limit: 3 },
    } satisfies Partial<Record<keyof TenantPlan, unknown>>);
    await owner.post('/invitations').send({ email: 'one@example.test', role: 'member' }).expect(201);
    await owner.post('/invitations').send({ email: 'two@example.test', role: 'member' }).expect(201);
    expect(
      (await owner.post('/invitations').send({ email: 'three@example.test', role: 'member' }).expect(402)).body.error,
    ).toMatchObject({ code: 'SEAT_LIMIT_REACHED', details: { used: 3, limit: 3 } });

    // A new license replaces the current one.
    const next = (
      await console_.post(`/tenants/${tenant.id}/licenses`).send({ plan: 'pro', validUntil: null }).expect(201)
    ).body as License;
    const all = (await console_.get(`/tenants/${tenant.id}/licenses`).expect(200)).body as License[];
    expect(all.map((l) => [l.id, l.status])).toEqual([
      [next.id, 'active'],
      [license.id, 'revoked'],
    ]);
    expect(((await owner.get('/plan').expect(200)).body as TenantPlan).seats.limit).toBe(50);
  });

  it('make the tenant read-only while suspended: reads and sign-in work, writes answer LICENSE_INACTIVE; renewing lifts it', async () => {
    const { tenant, owner, token, license } = await licensedTenant({
      plan: 'pro',
      validUntil: new Date(Date.now() + 90 * DAY).toISOString(),
    });
    const api = as(tenant, token);
    await api.post('/contacts').send({ name: 'Before' }).expect(201);
    expect(
      ((await console_.post(`/tenants/${tenant.id}/licenses/${license.id}/suspend`).expect(200)).body as License)
        .status,
    ).toBe('suspended');

    expect((await api.post('/contacts').send({ name: 'During' }).expect(402)).body.error).toMatchObject({
      code: 'LICENSE_INACTIVE',
      details: { status: 'suspended' },
    });
    expect(codeOf(await api.post('/invitations').send({ email: 'x@example.test', role: 'member' }).expect(402))).toBe(
      'LICENSE_INACTIVE',
    );
    expect((await api.get('/contacts').expect(200)).body.items.map((c: { name: string }) => c.name)).toEqual([
      'Before',
    ]);
    await login(tenant, owner).expect(200);
    expect(((await api.get('/plan').expect(200)).body as TenantPlan).license?.status).toBe('suspended');

    const renewed = (
      await console_
        .post(`/tenants/${tenant.id}/licenses/${license.id}/renew`)
        .send({ validUntil: new Date(Date.now() + 400 * DAY).toISOString() })
        .expect(200)
    ).body as License;
    expect(renewed.status).toBe('active');
    expect(verifyLicenseKey(renewed.key, issuerKeys.publicKey).validUntil).toBe(renewed.validUntil);
    await api.post('/contacts').send({ name: 'After' }).expect(201);
  });

  it('expire through the daily job after reminding the owners 30, 7 and 1 days before, each once', async () => {
    const end = Date.now() + 10 * DAY;
    const { tenant, owner, license } = await licensedTenant({ plan: 'pro', validUntil: new Date(end).toISOString() });
    const job = t.app.get(LicensingService);
    const mails = () => t.mailbox.to(owner.email).filter((m) => m.subject.includes('license'));

    await job.expireAndRemind(new Date());
    await job.expireAndRemind(new Date()); // idempotent: the 30-day reminder went already
    await t.mailbox.waitFor(owner.email, /license/);
    expect(mails().map((m) => m.subject)).toEqual([`The license of ${tenant.name} ends in 10 days`]);

    await job.expireAndRemind(new Date(end - 2 * DAY));
    await job.expireAndRemind(new Date(end - 12 * 3600_000));
    await t.mailbox.waitFor(owner.email, /license/, 2);
    await job.expireAndRemind(new Date(end - 6 * 3600_000)); // the 1-day one went already
    expect(mails().map((m) => m.subject)).toEqual([
      `The license of ${tenant.name} ends in 10 days`,
      `The license of ${tenant.name} ends in 2 days`,
      `The license of ${tenant.name} ends within a day`,
    ]);

    const result = await job.expireAndRemind(new Date(end + 1000));
    expect(result.expired).toBeGreaterThanOrEqual(1);
    const licenses = (await console_.get(`/tenants/${tenant.id}/licenses`).expect(200)).body as License[];
    expect(licenses.find((l) => l.id === license.id)?.status).toBe('expired');
    const token = (await signIn(t, owner)).accessToken;
    expect(codeOf(await as(tenant, token).post('/contacts').send({ name: 'Late' }).expect(402))).toBe(
      'LICENSE_INACTIVE',
    );
    const { rows } = await t.data.query(
      `select actor_label from audit_events where tenant_id = $1 and action = 'license.expired'`,
      [tenant.id],
    );
    expect(rows).toEqual([{ actor_label: 'expiry job' }]);
  });

  it('are listed by the console when they end soon; revoking one leaves the tenant on its plan, writable', async () => {
    const { tenant, token, license } = await licensedTenant({
      plan: 'starter',
      validUntil: new Date(Date.now() + 5 * DAY).toISOString(),
    });
    const soon = (await console_.get('/licenses/expiring').query({ days: 7 }).expect(200)).body as ExpiringLicense[];
    expect(soon.map((s) => s.tenant.id)).toContain(tenant.id);
    await console_.post(`/tenants/${tenant.id}/licenses/${license.id}/revoke`).expect(204);
    expect(
      ((await console_.get('/licenses/expiring').query({ days: 7 }).expect(200)).body as ExpiringLicense[]).map(
        (s) => s.tenant.id,
      ),
    ).not.toContain(tenant.id);
    expect((await as(tenant, token).get('/plan').expect(200)).body).toMatchObject({
      plan: { code: 'starter' },
      license: null,
    });
    expect(
      codeOf(
        await console_
          .post(`/tenants/${tenant.id}/licenses/${license.id}/renew`)
          .send({ validUntil: null })
          .expect(404),
      ),
    ).toBe('LICENSE_NOT_FOUND');
  });

  it('are managed by platform super admins only', async () => {
    const { tenant, token, license } = await licensedTenant({ plan: 'starter', validUntil: null });
    expect(
      codeOf(await as(tenant, token).post(`/platform/tenants/${tenant.id}/licenses/${license.id}/suspend`).expect(403)),
    ).toBe('FORBIDDEN');
    expect(
      codeOf(
        await console_.post(`/tenants/${tenant.id}/licenses`).send({ plan: 'gold', validUntil: null }).expect(404),
      ),
    ).toBe('PLAN_NOT_FOUND');
    expect(
      codeOf(
        await console_.post(`/tenants/${tenant.id}/licenses`).send({ plan: 'pro', validUntil: 'soon' }).expect(400),
      ),
    ).toBe('VALIDATION_FAILED');
  });
});
