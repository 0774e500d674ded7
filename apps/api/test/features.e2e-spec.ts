import type { FeatureMatrix, TenantFeatures } from '@tenantry/contracts';
import type { TestTenant } from '@tenantry/testing/factories';
import { signIn } from './support/sessions.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { errorOf } from './support/error-body.js';

let t: TestApp;
let second: TestApp;
let operator: string;

beforeAll(async () => {
  t = await startTestApp();
  second = await startTestApp({ sameDataAs: t });
  const root = await t.data.aSuperAdmin();
  operator = (await t.http.post('/api/auth/login').send({ email: root.email, password: root.password }).expect(200))
    .body.accessToken as string;
});
afterAll(async () => {
  await second?.close();
  await t?.close();
});

const platform = (app = t) => ({
  get: (path: string) => app.http.get(`/api/platform${path}`).set('Authorization', `Bearer ${operator}`),
  put: (path: string) => app.http.put(`/api/platform${path}`).set('Authorization', `Bearer ${operator}`),
  delete: (path: string) => app.http.delete(`/api/platform${path}`).set('Authorization', `Bearer ${operator}`),
});
const as = (tenant: TestTenant, token: string, app = t) => ({
  get: (path: string) =>
    app.http.get(`/api${path}`).set('Host', `${tenant.slug}.localhost`).set('Authorization', `Bearer ${token}`),
  post: (path: string) =>
    app.http.post(`/api${path}`).set('Host', `${tenant.slug}.localhost`).set('Authorization', `Bearer ${token}`),
});

async function adminOf(plan: string) {
  const tenant = await t.data.aTenant({ plan });
  const token = (await signIn(t, await t.data.aMember(tenant, 'admin'))).accessToken;
  return { tenant, token, api: as(tenant, token) };
}

/** Polls `read` until it returns `expected` (at most `ms`). */
async function within<T>(ms: number, read: () => Promise<T>, expected: T): Promise<T> {
  const until = Date.now() + ms;
  let value = await read();
  while (JSON.stringify(value) !== JSON.stringify(expected) && Date.now() < until) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    value = await read();
  }
  return value;
}

describe('feature flags', () => {
  it('decide by kill switch, then override, then plan, then default; a disabled feature answers 403 FEATURE_DISABLED', async () => {
    const { tenant, api } = await adminOf('free');
    const { since } = (await t.data.query<{ since: Date }>('select clock_timestamp() as since')).rows[0];
    const sso = async () => ((await api.get('/features').expect(200)).body as TenantFeatures).sso;
    expect(await sso()).toEqual({ enabled: false, source: 'default', config: null });
    expect(errorOf(await api.get('/sso/connections').expect(403))).toMatchObject({
      code: 'FEATURE_DISABLED',
      details: { feature: 'sso' },
    });

    await platform()
      .put(`/tenants/${tenant.id}/features/sso`)
      .send({ enabled: true, config: { maxConnections: 2 } })
      .expect(200);
    expect(await sso()).toEqual({ enabled: true, source: 'override', config: { maxConnections: 2 } });
    await api.get('/sso/connections').expect(200);

    await platform().put('/features/sso').send({ killed: true, rolloutPercent: null }).expect(200);
    expect(await sso()).toMatchObject({ enabled: false, source: 'kill_switch' });
    await api.get('/sso/connections').expect(403);
    await platform().put('/features/sso').send({ killed: false, rolloutPercent: null }).expect(200);

    await platform().delete(`/tenants/${tenant.id}/features/sso`).expect(200);
    expect(await sso()).toMatchObject({ enabled: false, source: 'default' });
    const pro = await adminOf('pro');
    expect(((await pro.api.get('/features').expect(200)).body as TenantFeatures).sso).toMatchObject({
      enabled: true,
      source: 'plan',
    });

    const { rows } = await t.data.query<{ metadata: unknown }>(
      `select metadata from audit_events where tenant_id = $1 and action = 'feature.override_changed' order by created_at`,
      [tenant.id],
    );
    expect(rows.map((r) => r.metadata)).toEqual([
      { from: null, to: { enabled: true, config: { maxConnections: 2 } } },
      { from: { enabled: true, config: { maxConnections: 2 } }, to: null },
    ]);
    const platformLog = await t.data.query(
      `select action, subject_id, metadata from platform_audit_events where action = 'feature.setting_changed' and created_at >= $1 order by created_at`,
      [since],
    );
    expect(platformLog.rows).toEqual([
      { action: 'feature.setting_changed', subject_id: 'sso', metadata: { killed: true, rolloutPercent: null } },
      { action: 'feature.setting_changed', subject_id: 'sso', metadata: { killed: false, rolloutPercent: null } },
    ]);
  });

  it('roll a feature out to a share of tenants by rollout percentage', async () => {
    const { api } = await adminOf('free');
    const imports = async () => ((await api.get('/features').expect(200)).body as TenantFeatures)['contacts.import'];
    await platform().put('/features/contacts.import').send({ killed: false, rolloutPercent: 100 }).expect(200);
    expect(await imports()).toMatchObject({ enabled: true, source: 'rollout' });
    await platform().put('/features/contacts.import').send({ killed: false, rolloutPercent: 0 }).expect(200);
    expect(await imports()).toMatchObject({ enabled: false, source: 'rollout' });
    await platform().put('/features/contacts.import').send({ killed: false, rolloutPercent: null }).expect(200);
    expect(
      errorOf(
        await platform().put('/features/contacts.import').send({ killed: false, rolloutPercent: 101 }).expect(400),
      ).code,
    ).toBe('VALIDATION_FAILED');
    expect(
      errorOf(await platform().put('/features/teleport').send({ killed: false, rolloutPercent: null }).expect(404))
        .code,
    ).toBe('FEATURE_NOT_FOUND');
  });

  it('keep API keys of a tenant without api_access out, after authentication', async () => {
    const { tenant, api } = await adminOf('free');
    const key = await t.data.anApiKey(tenant, ['contacts.read']);
    await t.http.get('/api/contacts').set('Authorization', `Bearer ${key.secret}`).expect(200);
    await platform().put(`/tenants/${tenant.id}/features/api_access`).send({ enabled: false }).expect(200);
    expect(
      errorOf(await t.http.get('/api/contacts').set('Authorization', `Bearer ${key.secret}`).expect(403)),
    ).toMatchObject({ code: 'FEATURE_DISABLED', details: { feature: 'api_access' } });
    expect(
      errorOf(
        await api
          .post('/api-keys')
          .send({ name: 'CI', scopes: ['contacts.read'] })
          .expect(403),
      ).code,
    ).toBe('FEATURE_DISABLED');
    await api.get('/contacts').expect(200); // people are not affected
    expect(errorOf(await t.http.get('/api/api-keys').set('Host', `${tenant.slug}.localhost`).expect(401)).code).toBe(
      'UNAUTHENTICATED',
    );
  });

  it('reach a second API instance within a second when an override, a kill switch or a plan changes', async () => {
    const { tenant, token } = await adminOf('free');
    const onSecond = as(tenant, token, second);
    const ssoThere = async () => ((await onSecond.get('/features').expect(200)).body as TenantFeatures).sso.enabled;
    expect(await ssoThere()).toBe(false); // cached there now

    await platform().put(`/tenants/${tenant.id}/features/sso`).send({ enabled: true }).expect(200);
    expect(await within(1000, ssoThere, true)).toBe(true);
    await platform().put('/features/sso').send({ killed: true, rolloutPercent: null }).expect(200);
    expect(await within(1000, ssoThere, false)).toBe(false);
    await platform().put('/features/sso').send({ killed: false, rolloutPercent: null }).expect(200);
    await platform().delete(`/tenants/${tenant.id}/features/sso`).expect(200);
    expect(await within(1000, ssoThere, false)).toBe(false);

    await platform().put(`/tenants/${tenant.id}/plan`).send({ plan: 'pro' }).expect(200);
    expect(await within(1000, ssoThere, true)).toBe(true);
  });

  it('show the console features × tenants, for super admins only', async () => {
    const { tenant, api } = await adminOf('starter');
    await platform()
      .put(`/tenants/${tenant.id}/features/audit_export`)
      .send({ enabled: true, config: null })
      .expect(200);
    const matrix = (await platform().get('/features').query({ q: tenant.slug }).expect(200)).body as FeatureMatrix;
    expect(matrix.features.map((f) => f.code)).toEqual([
      'api_access',
      'sso',
      'custom_domains',
      'custom_branding',
      'audit_export',
      'contacts.import',
    ]);
    expect(matrix.tenants).toHaveLength(1);
    expect(matrix.tenants[0]).toMatchObject({
      plan: 'starter',
      overrides: { audit_export: { enabled: true, config: null } },
    });
    expect(matrix.tenants[0].features).toMatchObject({
      audit_export: { source: 'override' },
      'contacts.import': { source: 'plan' },
      sso: { enabled: false },
    });
    expect(errorOf(await api.get('/platform/features').expect(403)).code).toBe('FORBIDDEN');
  });
});
