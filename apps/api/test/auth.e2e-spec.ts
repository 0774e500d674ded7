import type { AuthTokenResponse, ErrorBody, MeResponse } from '@tenantry/contracts';
import { linkTokenOf, signUp } from './support/sessions.js';
import { startTestApp, type TestApp } from './support/test-app.js';

let t: TestApp;
beforeAll(async () => {
  // Every signup here comes from one address (the per-address limit is tested in account-emails).
  t = await startTestApp({ env: { SIGNUP_MAX_PER_IP: '100' } });
});
afterAll(() => t.close());

const initech = (fields: Record<string, unknown> = {}) => ({
  tenantName: 'Initech',
  slug: 'initech',
  displayName: 'Peter',
  email: 'peter@initech.test',
  password: 'a long enough password',
  ...fields,
});
const signup = (fields: Record<string, unknown> = {}) => t.http.post('/api/auth/signup').send(initech(fields));
const countOf = async (sql: string, params: unknown[]) => (await t.data.query(sql, params)).rowCount;

describe('signup', () => {
  it('mails a link; the link creates the tenant and its owner (address confirmed) and signs the owner in', async () => {
    const res = await signUp(t, initech());
    const body = res.body as AuthTokenResponse;
    expect(body.tenant).toMatchObject({ slug: 'initech', name: 'Initech' });
    expect(body.role).toBe('owner');
    expect(body.user.emailVerified).toBe(true);
    const me = await t.http.get('/api/auth/me').set('Authorization', `Bearer ${body.accessToken}`).expect(200);
    expect((me.body as MeResponse).role).toBe('owner');
    expect((me.body as MeResponse).user.email).toBe('peter@initech.test');
  });

  it('creates nothing before the link is opened, and the link works once', async () => {
    await signup({ slug: 'not-yet', email: 'pat@not-yet.test' }).expect(202);
    expect(await countOf('select 1 from tenants where slug = $1', ['not-yet'])).toBe(0);
    expect(await countOf('select 1 from users where email = $1', ['pat@not-yet.test'])).toBe(0);
    const token = linkTokenOf((await t.mailbox.waitFor('pat@not-yet.test', /create your workspace/)).links[0]);
    await t.http.post('/api/auth/signup/confirm').send({ token }).expect(201);
    expect((await t.http.post('/api/auth/signup/confirm').send({ token }).expect(400)).body.error.code).toBe(
      'TOKEN_INVALID',
    );
  });

  it('answers a registered address exactly like a new one, mails its owner instead and creates nothing (no account enumeration)', async () => {
    const tenant = await t.data.aTenant();
    const member = await t.data.aMember(tenant, 'member');
    const fresh = await signup({ slug: 'fresh-signup', email: 'nobody-yet@fresh.test' });
    const taken = await signup({ slug: 'taken-signup', email: member.email });
    expect({ status: taken.status, body: taken.body, type: taken.headers['content-type'] }).toEqual({
      status: fresh.status,
      body: fresh.body,
      type: fresh.headers['content-type'],
    });
    expect(taken.status).toBe(202);
    // The owner of the address hears of it, with no link that could create anything.
    const notice = await t.mailbox.waitFor(member.email, /already have an account/);
    expect(notice.text).toMatch(/Sign in: http:\/\/localhost:3000\//);
    expect(notice.links.some((l) => l.includes('token='))).toBe(false);
    expect(t.mailbox.to(member.email).filter((m) => /create your workspace/.test(m.subject))).toEqual([]);
    // Nothing was made or reserved: the address's workspace name stays free.
    expect(await countOf('select 1 from tenants where slug = $1', ['taken-signup'])).toBe(0);
    expect((await t.http.get('/api/auth/signup/slug').query({ slug: 'taken-signup' }).expect(200)).body).toMatchObject({
      available: true,
    });
    // Look-alike spellings of the address land on the same account (or are refused), never on a new one.
    await signup({
      slug: 'taken-signup',
      email: member.email.toUpperCase().replace(/[A-Z]/, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0)),
    }).expect(202);
    await t.mailbox.waitFor(member.email, /already have an account/, 1);
  });

  it('limits signups per address, 5 an hour, registered or not', async () => {
    const member = await t.data.aMember(await t.data.aTenant(), 'member');
    for (const email of [member.email, 'limit@fresh.test']) {
      for (let i = 0; i < 5; i++) await signup({ slug: `limit-co-${i}`, email }).expect(202);
      const refused = await signup({ slug: 'limit-co-6', email }).expect(429);
      expect(refused.body.error.code).toBe('TOO_MANY_ATTEMPTS');
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    }
  });

  it('makes a new tenant reachable at once, even right after its address was looked up in vain', async () => {
    await t.http.get('/api/branding').set('Host', 'brand-new.localhost').expect(404);
    await signUp(t, initech({ slug: 'brand-new', tenantName: 'Brand New', email: 'owner@brand-new.test' }));
    const res = await t.http.get('/api/branding').set('Host', 'brand-new.localhost').expect(200);
    expect(res.body.name).toBe('Brand New');
  });

  it('refuses a taken slug with 409 SLUG_TAKEN before mailing anything', async () => {
    const taken = await t.data.aTenant();
    const res = await signup({ slug: taken.slug, email: 'someone-else@initech.test' }).expect(409);
    expect((res.body as ErrorBody).error.code).toBe('SLUG_TAKEN');
    expect(t.mailbox.to('someone-else@initech.test')).toEqual([]);
  });

  it('confirms only the first of two signups with one address: the second link answers 409 EMAIL_TAKEN and leaves no tenant behind', async () => {
    await signup({ slug: 'twice-one', email: 'twice@initech.test' }).expect(202);
    await signup({ slug: 'twice-two', email: 'twice@initech.test' }).expect(202);
    const [first, second] = await Promise.all(
      [0, 1].map(async (n) =>
        linkTokenOf((await t.mailbox.waitFor('twice@initech.test', /create your workspace/, n)).links[0]),
      ),
    );
    await t.http.post('/api/auth/signup/confirm').send({ token: first }).expect(201);
    expect(
      ((await t.http.post('/api/auth/signup/confirm').send({ token: second }).expect(409)).body as ErrorBody).error
        .code,
    ).toBe('EMAIL_TAKEN');
    expect(await countOf('select 1 from tenants where slug = $1', ['twice-two'])).toBe(0);
  });

  it('refuses a slug shaped like a tenant id', async () => {
    const res = await signup({ slug: '2f1c6d8e-2b1a-4c3d-9e8f-1a2b3c4d5e6f', email: 'uuid@initech.test' }).expect(400);
    expect((res.body as ErrorBody).error.details?.fields).toEqual([
      { field: 'slug', messages: [expect.stringContaining('slug must be')] },
    ]);
  });

  it('answers bad input with 400 and the failing fields', async () => {
    const res = await signup({ slug: 'Not A Slug', password: 'short', extra: true }).expect(400);
    const body = res.body as ErrorBody;
    expect(body.error.code).toBe('VALIDATION_FAILED');
    const fields = (body.error.details?.fields as { field: string }[]).map((f) => f.field).sort();
    expect(fields).toEqual(['extra', 'password', 'slug']);
  });
});

describe('email addresses', () => {
  it('refuse look-alikes at signup, with the reason: mixed scripts, invisible characters, signs that fold onto plain letters', async () => {
    for (const [email, reason] of [
      ['pеter@initech.test', /mix scripts \(Latin and Cyrillic\)/],
      ['pe\u200Dter@initech.test', /invisible/],
      ['\u212Aate@initech.test', /looks like a plain letter/],
    ] as const) {
      const res = await signup({ slug: 'lookalike-co', email }).expect(400);
      expect((res.body as ErrorBody).error).toMatchObject({
        code: 'VALIDATION_FAILED',
        details: { fields: [{ field: 'email', messages: [expect.stringMatching(reason)] }] },
      });
    }
    expect(await countOf('select 1 from tenants where slug = $1', ['lookalike-co'])).toBe(0);
  });

  it('are one form at login, password reset and invitations: fullwidth and upper case reach the account, a KELVIN SIGN does not', async () => {
    const tenant = await t.data.aTenant();
    const member = await t.data.aMember(tenant, 'admin', { email: `kate-${tenant.slug}@acme.test` });
    const login = (email: string) =>
      t.http.post('/api/auth/login').set('Host', `${tenant.slug}.localhost`).send({ email, password: member.password });
    await login(`ＫＡＴＥ-${tenant.slug}@ACME.test`).expect(200);
    expect(((await login(`\u212Aate-${tenant.slug}@acme.test`).expect(400)).body as ErrorBody).error.code).toBe(
      'VALIDATION_FAILED',
    );
    await t.http
      .post('/api/auth/password/forgot')
      .set('Host', `${tenant.slug}.localhost`)
      .send({ email: ` Kate-${tenant.slug}@Acme.Test ` })
      .expect(202);
    await t.mailbox.waitFor(member.email, /Reset/);
    const token = await t.login(member);
    const invite = (email: string) =>
      t.http
        .post('/api/invitations')
        .set('Host', `${tenant.slug}.localhost`)
        .set('Authorization', `Bearer ${token}`)
        .send({ email, role: 'member' });
    expect(((await invite('grаce@acme.test').expect(400)).body as ErrorBody).error.code).toBe('VALIDATION_FAILED');
    expect((await invite('ＧＲＡＣＥ@acme.test').expect(201)).body).toMatchObject({ email: 'grace@acme.test' });
  });
});

describe('login', () => {
  it('signs a member in to their tenant with a token for that tenant and role', async () => {
    const tenant = await t.data.aTenant();
    const member = await t.data.aMember(tenant, 'member');
    const res = await t.http
      .post('/api/auth/login')
      .set('Host', `${tenant.slug}.localhost`)
      .send({ email: member.email, password: member.password })
      .expect(200);
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
    const refused = await t.http
      .post('/api/auth/login')
      .send({ email: member.email, password: member.password })
      .expect(400);
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
    expect(res.body).toMatchObject({
      tenant: { id: tenant.id, slug: tenant.slug, name: 'Yellow Co' },
      name: 'Yellow Co',
      primaryColor: '#fde047',
      onPrimaryColor: '#000000',
    });
  });
});

describe('errors and health', () => {
  it('never answers with a stack trace or SQL, and echoes the request id', async () => {
    const res = await t.http
      .post('/api/auth/login')
      .set('X-Request-Id', 'req-123')
      .set('Content-Type', 'application/json')
      .send('{"email":')
      .expect(400);
    expect(res.headers['x-request-id']).toBe('req-123');
    expect(res.body).toEqual({ error: { code: 'MALFORMED_REQUEST', message: 'The request body could not be read.' } });
  });

  it('reports the database and redis as up, whatever the host', async () => {
    await t.http.get('/api/health').set('Host', 'no-such-tenant.localhost').expect(200);
    const res = await t.http.get('/api/health').expect(200);
    expect(res.body.details).toMatchObject({ database: { status: 'up' }, redis: { status: 'up' } });
  });
});
