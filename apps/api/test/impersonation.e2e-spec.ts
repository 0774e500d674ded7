import { REDIS } from '@tenantry/api-core';
import type { Redis } from 'ioredis';
import type {
  AuditEvent,
  AuthTokenResponse,
  ErrorBody,
  Impersonation,
  Page,
  PlatformMember,
  PlatformTenantPage,
} from '@tenantry/contracts';
import type { TestMember, TestTenant } from '@tenantry/testing/factories';
import { refreshCookieOf, signIn } from './support/sessions.js';
import request from 'supertest';
import { startTestApp, type TestApp } from './support/test-app.js';
import { codeOf } from './support/error-body.js';

let t: TestApp;
let tenant: TestTenant;
let jane: TestMember;
let admin: { userId: string; email: string; password: string };
let adminToken: string;
beforeAll(async () => {
  t = await startTestApp();
  tenant = await t.data.aTenant({ name: 'Acme Corporation' });
  jane = await t.data.aMember(tenant, 'admin');
  admin = await t.data.aSuperAdmin();
  adminToken = (
    (await t.http.post('/api/auth/login').send({ email: admin.email, password: admin.password }).expect(200))
      .body as AuthTokenResponse
  ).accessToken;
});
afterAll(() => t.close());

const platform = (method: 'get' | 'post' | 'patch', path: string, token = adminToken) =>
  t.http[method](`/api/platform${path}`).set('Authorization', `Bearer ${token}`);
const reason = 'Ticket #4711: contacts page shows an error';
const asImpersonator = (token: string) => ({
  get: (path: string) =>
    t.http.get(`/api${path}`).set('Host', `${tenant.slug}.localhost`).set('Authorization', `Bearer ${token}`),
  post: (path: string, body: object = {}) =>
    t.http
      .post(`/api${path}`)
      .set('Host', `${tenant.slug}.localhost`)
      .set('Authorization', `Bearer ${token}`)
      .send(body),
  patch: (path: string, body: object = {}) =>
    t.http
      .patch(`/api${path}`)
      .set('Host', `${tenant.slug}.localhost`)
      .set('Authorization', `Bearer ${token}`)
      .send(body),
  delete: (path: string) =>
    t.http.delete(`/api${path}`).set('Host', `${tenant.slug}.localhost`).set('Authorization', `Bearer ${token}`),
});
async function impersonate(userId = jane.userId): Promise<AuthTokenResponse> {
  const res = await platform('post', '/impersonations').send({ tenantId: tenant.id, userId, reason }).expect(201);
  return res.body as AuthTokenResponse;
}
const membershipOf = async (member: TestMember) =>
  (
    await t.data.query<{ id: string }>('select id from memberships where tenant_id = $1 and user_id = $2', [
      tenant.id,
      member.userId,
    ])
  ).rows[0].id;
const claimsOf = (token: string) =>
  JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()) as Record<string, unknown>;

describe('impersonation', () => {
  it('lets a super admin find the tenant and its members in the console', async () => {
    const tenants = (await platform('get', `/tenants?q=${encodeURIComponent('acme corp')}`).expect(200))
      .body as PlatformTenantPage;
    expect(tenants.items.map((x) => x.id)).toContain(tenant.id);
    const members = (await platform('get', `/tenants/${tenant.id}/members`).expect(200)).body as PlatformMember[];
    expect(members).toContainEqual(expect.objectContaining({ userId: jane.userId, email: jane.email, role: 'admin' }));
  });

  it('gives a separate, non-refreshable token of at most 60 minutes naming the user and the admin', async () => {
    const res = await platform('post', '/impersonations')
      .send({ tenantId: tenant.id, userId: jane.userId, reason })
      .expect(201);
    expect(refreshCookieOf(res)).toBeUndefined();
    const body = res.body as AuthTokenResponse;
    expect(body).toMatchObject({
      role: 'admin',
      tenant: { id: tenant.id },
      user: { id: jane.userId },
      impersonation: { actor: { id: admin.userId, email: admin.email }, reason },
    });
    const claims = claimsOf(body.accessToken);
    expect(claims).toMatchObject({ sub: jane.userId, tid: tenant.id, role: 'admin', act: { sub: admin.userId } });
    expect((claims.exp as number) - (claims.iat as number)).toBeLessThanOrEqual(3600);
    await asImpersonator(body.accessToken).get('/contacts').expect(200);
  });

  it("refuses the person's own security actions with IMPERSONATION_FORBIDDEN", async () => {
    const as = asImpersonator((await impersonate()).accessToken);
    const refused = [
      await as.post('/auth/password', { currentPassword: 'x', newPassword: 'a long and unusual passphrase' }),
      await as.post('/auth/email/verification'),
      await as.post('/auth/logout-all'),
      await as.post('/auth/switch-tenant', { tenant: 'another' }),
      await as.post('/api-keys', { name: 'x', scopes: ['contacts.read'] }),
      await as.post('/domains', { domain: 'acme.test' }),
      await as.delete('/me/membership'),
      await t.http
        .post('/api/platform/impersonations')
        .set('Authorization', `Bearer ${(await impersonate()).accessToken}`)
        .send({ tenantId: tenant.id, userId: jane.userId, reason }),
    ];
    expect(refused.map((r) => [r.status, codeOf(r)])).toEqual(Array(8).fill([403, 'IMPERSONATION_FORBIDDEN']));
    await as.get('/contacts').expect(200); // the product itself stays usable
  });

  it("audits the start and every request with both identities, visible to the tenant's admins", async () => {
    const as = asImpersonator((await impersonate()).accessToken);
    await as.get('/contacts').expect(200);
    await as.get('/contacts/00000000-0000-4000-8000-000000000000').expect(404);
    const owner = (await signIn(t, await t.data.aMember(tenant, 'owner'))).accessToken;
    const log = (
      await t.http
        .get('/api/audit-events?action=impersonation.request&limit=2')
        .set('Host', `${tenant.slug}.localhost`)
        .set('Authorization', `Bearer ${owner}`)
        .expect(200)
    ).body as Page<AuditEvent>;
    expect(
      log.items.map((e) => [e.actor.userId, e.actor.label, e.target?.id, e.metadata.path, e.metadata.outcome]),
    ).toEqual([
      [
        admin.userId,
        admin.email,
        jane.userId,
        '/api/contacts/00000000-0000-4000-8000-000000000000',
        'CONTACT_NOT_FOUND',
      ],
      [admin.userId, admin.email, jane.userId, '/api/contacts', 'ok'],
    ]);
    const started = (
      await t.http
        .get('/api/audit-events?action=impersonation.started&limit=1')
        .set('Host', `${tenant.slug}.localhost`)
        .set('Authorization', `Bearer ${owner}`)
        .expect(200)
    ).body as Page<AuditEvent>;
    expect(started.items[0]).toMatchObject({
      actor: { userId: admin.userId, label: admin.email },
      target: { id: jane.userId, label: jane.email },
      metadata: { reason },
    });
  });

  it('ends on request: the token stops working at once and the end is on record', async () => {
    const { accessToken } = await impersonate();
    const as = asImpersonator(accessToken);
    await as.post('/impersonations/end').expect(204);
    expect(codeOf(await as.get('/contacts').expect(401))).toBe('UNAUTHENTICATED');
    const { rows } = await t.data.query<{ n: number }>(
      `select count(*)::int as n from audit_events where tenant_id = $1 and action = 'impersonation.ended' and actor_user_id = $2`,
      [tenant.id, admin.userId],
    );
    expect(rows[0].n).toBeGreaterThan(0);
  });

  it("stays ended for the token's whole life, on every instance", async () => {
    const { accessToken } = await impersonate();
    const exp = claimsOf(accessToken).exp as number;
    await asImpersonator(accessToken).post('/impersonations/end').expect(204);
    // The revocation outlives the token (an hour), not just a sign-in's 15-minute token.
    const revokedFor = await t.app.get<Redis>(REDIS).ttl(`auth:revoked-session:${claimsOf(accessToken).sid as string}`);
    expect(revokedFor).toBeGreaterThanOrEqual(exp - Math.floor(Date.now() / 1000));
    const second = await startTestApp({ sameDataAs: t });
    try {
      const res = await request(second.app.getHttpServer())
        .get('/api/contacts')
        .set('Host', `${tenant.slug}.localhost`)
        .set('Authorization', `Bearer ${accessToken}`)
        .expect(401);
      expect(codeOf(res)).toBe('UNAUTHENTICATED');
    } finally {
      await second.close();
    }
  });

  it("lets an owner end a running support session: the operator's token stops at once", async () => {
    const started = await impersonate();
    const owner = (await signIn(t, await t.data.aMember(tenant, 'owner'))).accessToken;
    const asOwner = (method: 'get' | 'post', path: string) =>
      t.http[method](`/api${path}`).set('Host', `${tenant.slug}.localhost`).set('Authorization', `Bearer ${owner}`);
    const ended = (await asOwner('post', `/impersonations/${started.impersonation!.id}/end`).expect(200))
      .body as Impersonation;
    expect(ended).toMatchObject({ id: started.impersonation!.id, status: 'ended' });
    expect(codeOf(await asImpersonator(started.accessToken).get('/contacts').expect(401))).toBe('UNAUTHENTICATED');
    expect(codeOf(await asOwner('post', `/impersonations/${started.impersonation!.id}/end`).expect(404))).toBe(
      'IMPERSONATION_NOT_FOUND',
    );
    const { rows } = await t.data.query<{ n: number }>(
      `select count(*)::int as n from audit_events where tenant_id = $1 and action = 'impersonation.ended' and metadata->>'endedBy' = 'owner' and metadata->>'impersonation' = $2`,
      [tenant.id, started.impersonation!.id],
    );
    expect(rows[0].n).toBe(1);
  });

  it('keeps a role change binding on an impersonation token for its whole life', async () => {
    const member = await t.data.aMember(tenant, 'admin');
    const { accessToken } = await impersonate(member.userId);
    const owner = (await signIn(t, await t.data.aMember(tenant, 'owner'))).accessToken;
    await t.http
      .patch(`/api/members/${await membershipOf(member)}`)
      .set('Host', `${tenant.slug}.localhost`)
      .set('Authorization', `Bearer ${owner}`)
      .send({ role: 'viewer' })
      .expect(200);
    const exp = claimsOf(accessToken).exp as number;
    const outdatedFor = await t.app.get<Redis>(REDIS).ttl(`auth:membership-version:${tenant.id}:${member.userId}`);
    expect(outdatedFor).toBeGreaterThanOrEqual(exp - Math.floor(Date.now() / 1000));
    expect(codeOf(await asImpersonator(accessToken).get('/contacts').expect(401))).toBe('UNAUTHENTICATED');
  });

  it('refuses every change that is not on the allow-list, so nothing outlives the session', async () => {
    const owner = await t.data.aMember(tenant, 'owner');
    const member = await t.data.aMember(tenant, 'member');
    const as = asImpersonator((await impersonate(owner.userId)).accessToken);
    const refused = [
      await as.post('/invitations', { email: 'mallory@evil.test', role: 'owner' }),
      await as.patch(`/members/${await membershipOf(member)}`, { role: 'admin' }),
      await as.post('/webhooks/endpoints', { url: 'https://collector.evil.test/hook', events: ['contact.created'] }),
      await as.post('/sso/connections', { name: 'Evil IdP' }),
      await as.post('/plan/trial', { plan: 'pro' }),
      await as.get('/auth/sessions'),
    ];
    expect(refused.map((r) => [r.status, (r.body as Partial<ErrorBody>).error?.code])).toEqual(
      Array(refused.length).fill([403, 'IMPERSONATION_FORBIDDEN']),
    );
    const { rows } = await t.data.query<{ n: number }>(
      `select count(*)::int as n from invitations where tenant_id = $1 and email = 'mallory@evil.test'`,
      [tenant.id],
    );
    expect(rows[0].n).toBe(0);
    // The tenant's product data is on the list: support can fix a contact.
    await as.post('/contacts', { name: 'Fixed by support' }).expect(201);
  });

  it('names both the operator and the person on every audit row written while impersonating', async () => {
    const as = asImpersonator((await impersonate()).accessToken);
    await as.post('/contacts', { name: 'Audited' }).expect(201);
    const owner = (await signIn(t, await t.data.aMember(tenant, 'owner'))).accessToken;
    const log = (
      await t.http
        .get('/api/audit-events?action=impersonation.request&limit=1')
        .set('Host', `${tenant.slug}.localhost`)
        .set('Authorization', `Bearer ${owner}`)
        .expect(200)
    ).body as Page<AuditEvent>;
    expect(log.items[0]).toMatchObject({
      actor: { userId: admin.userId, label: admin.email },
      onBehalfOf: { userId: jane.userId, label: jane.email },
      metadata: { method: 'POST', path: '/api/contacts' },
    });
  });

  it('never lets an admin acting as an owner approve impersonation requests', async () => {
    const owner = await t.data.aMember(tenant, 'owner');
    const { rows } = await t.data.query<{ id: string }>(
      `insert into impersonations (tenant_id, actor_user_id, user_id, reason, status) values ($1, $2, $3, $4, 'requested') returning id`,
      [tenant.id, admin.userId, jane.userId, reason],
    );
    const as = asImpersonator((await impersonate(owner.userId)).accessToken);
    expect(codeOf(await as.post(`/impersonations/${rows[0].id}/approve`).expect(403))).toBe('IMPERSONATION_FORBIDDEN');
  });

  it('never acts as a super admin or a non-member, and only super admins use the console', async () => {
    const operator = await t.data.aSuperAdmin();
    await t.data.query('insert into memberships (tenant_id, user_id, role) values ($1, $2, $3)', [
      tenant.id,
      operator.userId,
      'member',
    ]);
    expect(
      codeOf(
        await platform('post', '/impersonations')
          .send({ tenantId: tenant.id, userId: operator.userId, reason })
          .expect(403),
      ),
    ).toBe('CANNOT_IMPERSONATE');
    const outsider = await t.data.aMember(await t.data.aTenant(), 'member');
    expect(
      codeOf(
        await platform('post', '/impersonations')
          .send({ tenantId: tenant.id, userId: outsider.userId, reason })
          .expect(403),
      ),
    ).toBe('CANNOT_IMPERSONATE');
    expect(
      codeOf(
        await platform('post', '/impersonations')
          .send({ tenantId: tenant.id, userId: jane.userId, reason: 'short' })
          .expect(400),
      ),
    ).toBe('VALIDATION_FAILED');
    const janeToken = (await signIn(t, jane)).accessToken;
    expect(
      codeOf(
        await t.http
          .get('/api/platform/tenants')
          .set('Host', `${tenant.slug}.localhost`)
          .set('Authorization', `Bearer ${janeToken}`)
          .expect(403),
      ),
    ).toBe('FORBIDDEN');
  });

  it("waits for an owner's approval where the tenant requires consent", async () => {
    const strict = await t.data.aTenant({ name: 'Strict Co' });
    const user = await t.data.aMember(strict, 'member');
    const owner = (await signIn(t, await t.data.aMember(strict, 'owner'))).accessToken;
    await platform('patch', `/tenants/${strict.id}`).send({ impersonationConsentRequired: true }).expect(200);
    const body = { tenantId: strict.id, userId: user.userId, reason };
    expect(codeOf(await platform('post', '/impersonations').send(body).expect(403))).toBe('CONSENT_REQUIRED');

    const requested = (await platform('post', '/impersonation-requests').send(body).expect(201)).body as Impersonation;
    const asOwner = (method: 'get' | 'post', path: string) =>
      t.http[method](`/api${path}`).set('Host', `${strict.slug}.localhost`).set('Authorization', `Bearer ${owner}`);
    const pending = (await asOwner('get', '/impersonations').expect(200)).body as Impersonation[];
    expect(pending).toContainEqual(
      expect.objectContaining({
        id: requested.id,
        status: 'requested',
        reason,
        actor: { id: admin.userId, email: admin.email },
        user: { id: user.userId, email: user.email },
      }),
    );
    await asOwner('post', `/impersonations/${requested.id}/deny`).expect(200);
    expect(codeOf(await platform('post', '/impersonations').send(body).expect(403))).toBe('CONSENT_REQUIRED');

    const again = (await platform('post', '/impersonation-requests').send(body).expect(201)).body as Impersonation;
    await asOwner('post', `/impersonations/${again.id}/approve`).expect(200);
    const started = (await platform('post', '/impersonations').send(body).expect(201)).body as AuthTokenResponse;
    expect(started.impersonation?.id).toBe(again.id);
    // The approval is used up by that start.
    expect(codeOf(await platform('post', '/impersonations').send(body).expect(403))).toBe('CONSENT_REQUIRED');
    const member = (await signIn(t, await t.data.aMember(strict, 'admin'))).accessToken;
    await t.http
      .get('/api/impersonations')
      .set('Host', `${strict.slug}.localhost`)
      .set('Authorization', `Bearer ${member}`)
      .expect(403);
  });
});
