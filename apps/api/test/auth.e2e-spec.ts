import type { AuthTokenResponse, ErrorBody, MeResponse } from '@tenantry/contracts';
import { startTestApp, type TestApp } from './support/test-app.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const signup = (fields: Record<string, unknown> = {}) =>
  t.http.post('/api/auth/signup').send({
    tenantName: 'Initech',
    slug: 'initech',
    displayName: 'Peter',
    email: 'peter@initech.test',
    password: 'a long enough password',
    ...fields,
  });

describe('signup', () => {
  it('creates the tenant and its owner and signs the owner in', async () => {
    const res = await signup().expect(201);
    const body = res.body as AuthTokenResponse;
    expect(body.tenant).toMatchObject({ slug: 'initech', name: 'Initech' });
    expect(body.role).toBe('owner');
    const me = await t.http.get('/api/auth/me').set('Authorization', `Bearer ${body.accessToken}`).expect(200);
    expect((me.body as MeResponse).role).toBe('owner');
    expect((me.body as MeResponse).user.email).toBe('peter@initech.test');
  });

  it('makes a new tenant reachable at once, even right after its address was looked up in vain', async () => {
    await t.http.get('/api/branding').set('Host', 'brand-new.localhost').expect(404);
    await signup({ slug: 'brand-new', tenantName: 'Brand New', email: 'owner@brand-new.test' }).expect(201);
    const res = await t.http.get('/api/branding').set('Host', 'brand-new.localhost').expect(200);
    expect(res.body.name).toBe('Brand New');
  });

  it('refuses a taken slug with 409 SLUG_TAKEN and leaves no user behind', async () => {
    const taken = await t.data.aTenant();
    const res = await signup({ slug: taken.slug, email: 'someone-else@initech.test' }).expect(409);
    expect((res.body as ErrorBody).error.code).toBe('SLUG_TAKEN');
    const { rowCount } = await t.data.query('select 1 from users where email = $1', ['someone-else@initech.test']);
    expect(rowCount).toBe(0);
  });

  it('refuses a registered email with 409 EMAIL_TAKEN and leaves no tenant behind', async () => {
    const registered = await t.data.aMember(await t.data.aTenant(), 'owner');
    const res = await signup({ slug: 'initech-two', email: registered.email }).expect(409);
    expect((res.body as ErrorBody).error.code).toBe('EMAIL_TAKEN');
    const { rowCount } = await t.data.query(`select 1 from tenants where slug = 'initech-two'`);
    expect(rowCount).toBe(0);
  });

  it('refuses a slug shaped like a tenant id', async () => {
    const res = await signup({ slug: '2f1c6d8e-2b1a-4c3d-9e8f-1a2b3c4d5e6f', email: 'uuid@initech.test' }).expect(400);
    expect((res.body as ErrorBody).error.details?.fields).toEqual([{ field: 'slug', messages: [expect.stringContaining('slug must be')] }]);
  });

  it('answers bad input with 400 and the failing fields', async () => {
    const res = await signup({ slug: 'Not A Slug', password: 'short', extra: true }).expect(400);
    const body = res.body as ErrorBody;
    expect(body.error.code).toBe('VALIDATION_FAILED');
    const fields = (body.error.details?.fields as { field: string }[]).map((f) => f.field).sort();
    expect(fields).toEqual(['extra', 'password', 'slug']);
  });
});

describe('login', () => {
  it('signs a member in to their tenant with a token for that tenant and role', async () => {
    const tenant = await t.data.aTenant();
    const member = await t.data.aMember(tenant, 'member');
    const res = await t.http.post('/api/auth/login').set('Host', `${tenant.slug}.localhost`).send({ email: member.email, password: member.password }).expect(200);
    const body = res.body as AuthTokenResponse;
    expect(body.tenant?.id).toBe(tenant.id);
    expect(body.role).toBe('member');
    expect(body.expiresIn).toBeLessThanOrEqual(900);
  });

  it('gives the same answer for a wrong password, an unknown email and a non-member', async () => {
    const tenant = await t.data.aTenant();
    const other = await t.data.aTenant();
    const member = await t.data.aMember(tenant, 'admin');
    const outsider = await t.data.aMember(other, 'owner');
    const attempts = [
      { email: member.email, password: 'wrong password here' },
      { email: 'nobody@nowhere.test', password: member.password },
      { email: outsider.email, password: outsider.password },
    ];
    for (const creds of attempts) {
      const res = await t.http.post('/api/auth/login').set('X-Tenant', tenant.slug).send(creds).expect(401);
      expect(res.body).toEqual({ error: { code: 'INVALID_CREDENTIALS', message: 'Email or password is incorrect.' } });
    }
  });

  it('lets only super admins sign in without a tenant', async () => {
    const root = await t.data.aSuperAdmin();
    const res = await t.http.post('/api/auth/login').send({ email: root.email, password: root.password }).expect(200);
    expect((res.body as AuthTokenResponse).user.platformRole).toBe('super_admin');
    expect((res.body as AuthTokenResponse).tenant).toBeNull();
    const tenant = await t.data.aTenant();
    const member = await t.data.aMember(tenant, 'owner');
    const refused = await t.http.post('/api/auth/login').send({ email: member.email, password: member.password }).expect(400);
    expect((refused.body as ErrorBody).error.code).toBe('TENANT_REQUIRED');
  });
});

describe('tenant resolution', () => {
  it('answers 404 TENANT_NOT_FOUND for an unknown subdomain', async () => {
    const res = await t.http.get('/api/branding').set('Host', 'no-such-tenant.localhost').expect(404);
    expect((res.body as ErrorBody).error.code).toBe('TENANT_NOT_FOUND');
  });

  it('answers 403 TENANT_SUSPENDED for a suspended tenant', async () => {
    const tenant = await t.data.aTenant({ status: 'suspended' });
    const res = await t.http.get('/api/branding').set('Host', `${tenant.slug}.localhost`).expect(403);
    expect((res.body as ErrorBody).error.code).toBe('TENANT_SUSPENDED');
  });

  it('refuses a token of tenant A on tenant B with 403 TENANT_MISMATCH', async () => {
    const a = await t.data.aTenant();
    const b = await t.data.aTenant();
    const token = await t.login(await t.data.aMember(a, 'owner').then((m) => ({ ...m, tenant: a })));
    for (const req of [
      t.http.get('/api/contacts').set('Host', `${b.slug}.localhost`),
      t.http.get('/api/contacts').set('X-Tenant', b.slug),
      t.http.get('/api/contacts').set('X-Tenant', b.id),
    ]) {
      const res = await req.set('Authorization', `Bearer ${token}`).expect(403);
      expect((res.body as ErrorBody).error.code).toBe('TENANT_MISMATCH');
    }
  });

  it('refuses a forged or tampered token with 401', async () => {
    const a = await t.data.aTenant();
    const token = await t.login({ ...(await t.data.aMember(a, 'viewer')), tenant: a });
    const [h, p] = token.split('.');
    const none = `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url')}.${p}.`;
    const tampered = `${h}.${Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(p, 'base64url').toString()), role: 'owner' })).toString('base64url')}.${token.split('.')[2]}`;
    for (const bad of [none, tampered, 'garbage']) {
      const res = await t.http.get('/api/auth/me').set('Authorization', `Bearer ${bad}`).expect(401);
      expect((res.body as ErrorBody).error.code).toBe('UNAUTHENTICATED');
    }
  });

  it('serves the branding of the tenant named by the subdomain', async () => {
    const tenant = await t.data.aTenant({ name: 'Yellow Co', primaryColor: '#fde047' });
    const res = await t.http.get('/api/branding').set('Host', `${tenant.slug}.localhost:3000`).expect(200);
    expect(res.body).toMatchObject({ tenant: { id: tenant.id, slug: tenant.slug, name: 'Yellow Co' }, name: 'Yellow Co', primaryColor: '#fde047', onPrimaryColor: '#000000' });
  });
});

describe('errors and health', () => {
  it('never answers with a stack trace or SQL, and echoes the request id', async () => {
    const res = await t.http.post('/api/auth/login').set('X-Request-Id', 'req-123').set('Content-Type', 'application/json').send('{"email":').expect(400);
    expect(res.headers['x-request-id']).toBe('req-123');
    expect(res.body).toEqual({ error: { code: 'MALFORMED_REQUEST', message: 'The request body could not be read.' } });
  });

  it('reports the database and redis as up, whatever the host', async () => {
    await t.http.get('/api/health').set('Host', 'no-such-tenant.localhost').expect(200);
    const res = await t.http.get('/api/health').expect(200);
    expect(res.body.details).toMatchObject({ database: { status: 'up' }, redis: { status: 'up' } });
  });
});
