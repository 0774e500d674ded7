import type { AuditEvent, AuthTokenResponse, Member, MyTenant, Page } from '@tenantry/contracts';
import type { TestMember, TestTenant } from '@tenantry/testing/factories';
import { signIn } from './support/sessions.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { codeOf } from './support/error-body.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

async function as(member: TestMember) {
  const { accessToken } = await signIn(t, member);
  const host = `${member.tenant.slug}.localhost`;
  return {
    get: (path: string) => t.http.get(`/api${path}`).set('Host', host).set('Authorization', `Bearer ${accessToken}`),
    patch: (path: string, body: object) =>
      t.http.patch(`/api${path}`).set('Host', host).set('Authorization', `Bearer ${accessToken}`).send(body),
    delete: (path: string) =>
      t.http.delete(`/api${path}`).set('Host', host).set('Authorization', `Bearer ${accessToken}`),
    post: (path: string, body: object) =>
      t.http.post(`/api${path}`).set('Host', host).set('Authorization', `Bearer ${accessToken}`).send(body),
    token: accessToken,
  };
}
async function membershipId(tenant: TestTenant, member: TestMember): Promise<string> {
  const { rows } = await t.data.query<{ id: string }>(
    'select id from memberships where tenant_id = $1 and user_id = $2',
    [tenant.id, member.userId],
  );
  return rows[0].id;
}

describe('members', () => {
  it('are listed to admins by email, paginated, and searchable', async () => {
    const tenant = await t.data.aTenant();
    const admin = await t.data.aMember(tenant, 'admin', { email: 'a-admin@list.test' });
    for (const name of ['b', 'c', 'd']) await t.data.aMember(tenant, 'member', { email: `${name}-member@list.test` });
    const client = await as(admin);
    const first = (await client.get('/members?limit=2').expect(200)).body as Page<Member>;
    expect(first.items.map((m) => m.email)).toEqual(['a-admin@list.test', 'b-member@list.test']);
    const second = (await client.get(`/members?limit=2&cursor=${first.nextCursor}`).expect(200)).body as Page<Member>;
    expect(second.items.map((m) => m.email)).toEqual(['c-member@list.test', 'd-member@list.test']);
    expect(second.nextCursor).toBeNull();
    const found = (await client.get('/members?q=C-MEMBER').expect(200)).body as Page<Member>;
    expect(found.items.map((m) => [m.email, m.role])).toEqual([['c-member@list.test', 'member']]);
  });

  it('are not listed to members or viewers (403 FORBIDDEN)', async () => {
    const tenant = await t.data.aTenant();
    for (const role of ['member', 'viewer'] as const) {
      expect(codeOf(await (await as(await t.data.aMember(tenant, role))).get('/members').expect(403))).toBe(
        'FORBIDDEN',
      );
    }
  });

  it('get a new role from an admin; their old token stops working and a refresh carries the new role', async () => {
    const tenant = await t.data.aTenant();
    const admin = await as(await t.data.aMember(tenant, 'admin'));
    const member = await t.data.aMember(tenant, 'member');
    const session = await signIn(t, member);
    const res = await admin.patch(`/members/${await membershipId(tenant, member)}`, { role: 'viewer' }).expect(200);
    expect((res.body as Member).role).toBe('viewer');
    await t.http
      .get('/api/contacts')
      .set('Host', `${tenant.slug}.localhost`)
      .set('Authorization', `Bearer ${session.accessToken}`)
      .expect(401);
    const refreshed = await t.http
      .post('/api/auth/refresh')
      .set('Host', `${tenant.slug}.localhost`)
      .set('Cookie', session.cookie)
      .expect(200);
    expect((refreshed.body as AuthTokenResponse).role).toBe('viewer');
    await t.http
      .post('/api/contacts')
      .set('Host', `${tenant.slug}.localhost`)
      .set('Authorization', `Bearer ${(refreshed.body as AuthTokenResponse).accessToken}`)
      .send({ name: 'x' })
      .expect(403);
  });

  it('can not be made owner, or demoted from owner, by an admin', async () => {
    const tenant = await t.data.aTenant();
    const admin = await as(await t.data.aMember(tenant, 'admin'));
    const owner = await t.data.aMember(tenant, 'owner');
    await t.data.aMember(tenant, 'owner');
    const member = await t.data.aMember(tenant, 'member');
    expect(
      codeOf(await admin.patch(`/members/${await membershipId(tenant, member)}`, { role: 'owner' }).expect(403)),
    ).toBe('FORBIDDEN');
    expect(
      codeOf(await admin.patch(`/members/${await membershipId(tenant, owner)}`, { role: 'member' }).expect(403)),
    ).toBe('FORBIDDEN');
    expect(codeOf(await admin.delete(`/members/${await membershipId(tenant, owner)}`).expect(403))).toBe('FORBIDDEN');
  });

  it('always leave one owner: the last owner can not be demoted, removed or leave', async () => {
    const tenant = await t.data.aTenant();
    const ownerMember = await t.data.aMember(tenant, 'owner');
    const owner = await as(ownerMember);
    const id = await membershipId(tenant, ownerMember);
    expect(codeOf(await owner.patch(`/members/${id}`, { role: 'admin' }).expect(409))).toBe('LAST_OWNER');
    expect(codeOf(await owner.delete(`/members/${id}`).expect(409))).toBe('LAST_OWNER');
    expect(codeOf(await owner.delete('/me/membership').expect(409))).toBe('LAST_OWNER');
    const { rows } = await t.data.query<{ role: string }>('select role from memberships where tenant_id = $1', [
      tenant.id,
    ]);
    expect(rows).toEqual([{ role: 'owner' }]);
  });

  it('keep an owner when two owners demote each other at the same time', async () => {
    const tenant = await t.data.aTenant();
    const [a, b] = [await t.data.aMember(tenant, 'owner'), await t.data.aMember(tenant, 'owner')];
    const [asA, asB] = [await as(a), await as(b)];
    const results = await Promise.all([
      asA.patch(`/members/${await membershipId(tenant, b)}`, { role: 'admin' }),
      asB.patch(`/members/${await membershipId(tenant, a)}`, { role: 'admin' }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    const { rows } = await t.data.query<{ n: number }>(
      `select count(*)::int as n from memberships where tenant_id = $1 and role = 'owner'`,
      [tenant.id],
    );
    expect(rows[0].n).toBe(1);
  });

  it('keep an owner when one owner leaves while demoting the other', async () => {
    const tenant = await t.data.aTenant();
    const [a, b] = [await t.data.aMember(tenant, 'owner'), await t.data.aMember(tenant, 'owner')];
    const asA = await as(a);
    const results = await Promise.all([
      asA.delete('/me/membership'),
      asA.patch(`/members/${await membershipId(tenant, b)}`, { role: 'admin' }),
    ]);
    const { rows } = await t.data.query<{ n: number }>(
      `select count(*)::int as n from memberships where tenant_id = $1 and role = 'owner'`,
      [tenant.id],
    );
    expect(rows[0].n).toBe(1);
    // One of the two went through; the other was refused (LAST_OWNER, or 401 once A's own membership was gone).
    expect(results.filter((r) => r.status < 300)).toHaveLength(1);
  });

  it('can be removed by an admin, which ends their access to the tenant at once, on the record', async () => {
    const tenant = await t.data.aTenant();
    const adminMember = await t.data.aMember(tenant, 'admin');
    const admin = await as(adminMember);
    const member = await t.data.aMember(tenant, 'member');
    const session = await signIn(t, member);
    await admin.delete(`/members/${await membershipId(tenant, member)}`).expect(204);
    await t.http
      .get('/api/contacts')
      .set('Host', `${tenant.slug}.localhost`)
      .set('Authorization', `Bearer ${session.accessToken}`)
      .expect(401);
    expect(
      codeOf(
        await t.http
          .post('/api/auth/refresh')
          .set('Host', `${tenant.slug}.localhost`)
          .set('Cookie', session.cookie)
          .expect(403),
      ),
    ).toBe('NOT_A_MEMBER');
    const log = (await admin.get('/audit-events?action=member.removed').expect(200)).body as Page<AuditEvent>;
    expect(log.items).toEqual([
      expect.objectContaining({
        action: 'member.removed',
        actor: { userId: adminMember.userId, label: adminMember.email },
        target: { type: 'user', id: member.userId, label: member.email },
        metadata: { role: 'member' },
      }),
    ]);
  });

  it('answer 404 MEMBER_NOT_FOUND for a membership of another tenant', async () => {
    const [a, b] = [await t.data.aTenant(), await t.data.aTenant()];
    const admin = await as(await t.data.aMember(a, 'owner'));
    const foreign = await t.data.aMember(b, 'member');
    expect(
      codeOf(await admin.patch(`/members/${await membershipId(b, foreign)}`, { role: 'viewer' }).expect(404)),
    ).toBe('MEMBER_NOT_FOUND');
    expect(codeOf(await admin.delete(`/members/${await membershipId(b, foreign)}`).expect(404))).toBe(
      'MEMBER_NOT_FOUND',
    );
  });
});

describe('a user in several tenants', () => {
  it('lists their tenants with their role in each, and switches between them', async () => {
    const [a, b, c] = [
      await t.data.aTenant({ name: 'Alpha' }),
      await t.data.aTenant({ name: 'Beta' }),
      await t.data.aTenant({ name: 'Gamma' }),
    ];
    const inA = await t.data.aMember(a, 'viewer');
    await t.data.aMember(b, 'admin', { email: inA.email });
    await t.data.aMember(c, 'owner'); // someone else
    const client = await as(inA);
    const tenants = (await client.get('/me/tenants').expect(200)).body as MyTenant[];
    expect(tenants.map((x) => [x.tenant.name, x.role])).toEqual([
      ['Alpha', 'viewer'],
      ['Beta', 'admin'],
    ]);

    const switched = (await client.post('/auth/switch-tenant', { tenant: b.slug }).expect(200))
      .body as AuthTokenResponse;
    expect(switched).toMatchObject({ tenant: { id: b.id }, role: 'admin' });
    await t.http
      .get('/api/members')
      .set('Host', `${b.slug}.localhost`)
      .set('Authorization', `Bearer ${switched.accessToken}`)
      .expect(200);
    expect(codeOf(await client.post('/auth/switch-tenant', { tenant: c.slug }).expect(403))).toBe('NOT_A_MEMBER');
    expect(codeOf(await client.post('/auth/switch-tenant', { tenant: 'no-such-tenant' }).expect(404))).toBe(
      'TENANT_NOT_FOUND',
    );
  });

  it('can leave a tenant and keep the others', async () => {
    const [a, b] = [await t.data.aTenant(), await t.data.aTenant()];
    const inA = await t.data.aMember(a, 'member');
    await t.data.aMember(b, 'member', { email: inA.email });
    const client = await as(inA);
    await client.delete('/me/membership').expect(204);
    const other = await signIn(t, { ...inA, tenant: b });
    const tenants = (
      await t.http
        .get('/api/me/tenants')
        .set('Host', `${b.slug}.localhost`)
        .set('Authorization', `Bearer ${other.accessToken}`)
        .expect(200)
    ).body as MyTenant[];
    expect(tenants.map((x) => x.tenant.id)).toEqual([b.id]);
  });
});

describe('audit log', () => {
  it("shows admins their tenant's events, newest first, filtered by action and actor, and paginated", async () => {
    const tenant = await t.data.aTenant();
    const adminMember = await t.data.aMember(tenant, 'admin');
    const member = await t.data.aMember(tenant, 'member');
    await signIn(t, member);
    await signIn(t, member);
    await t.http
      .post('/api/auth/login')
      .set('Host', `${tenant.slug}.localhost`)
      .send({ email: member.email, password: 'not the password' })
      .expect(401);
    const admin = await as(adminMember);
    const logins = (await admin.get(`/audit-events?action=auth.login_succeeded&actor=${member.email}`).expect(200))
      .body as Page<AuditEvent>;
    expect(logins.items).toHaveLength(2);
    expect(logins.items.every((e) => e.actor.userId === member.userId)).toBe(true);
    const page = (await admin.get('/audit-events?limit=2').expect(200)).body as Page<AuditEvent>;
    expect(page.items.map((e) => e.action)).toEqual(['auth.login_succeeded', 'auth.login_failed']); // the admin's own login is newest
    const rest = (await admin.get(`/audit-events?limit=50&cursor=${page.nextCursor}`).expect(200))
      .body as Page<AuditEvent>;
    expect(rest.items.map((e) => e.action)).toEqual(['auth.login_succeeded', 'auth.login_succeeded']);
    const future = (await admin.get(`/audit-events?from=${new Date(Date.now() + 60_000).toISOString()}`).expect(200))
      .body as Page<AuditEvent>;
    expect(future.items).toEqual([]);
    expect(codeOf(await admin.get('/audit-events?action=made.up').expect(400))).toBe('VALIDATION_FAILED');
  });

  it('is closed to members, and another tenant sees none of it', async () => {
    const [a, b] = [await t.data.aTenant(), await t.data.aTenant()];
    await signIn(t, await t.data.aMember(a, 'member'));
    expect(codeOf(await (await as(await t.data.aMember(a, 'member'))).get('/audit-events').expect(403))).toBe(
      'FORBIDDEN',
    );
    const other = await as(await t.data.aMember(b, 'owner'));
    const seen = (await other.get('/audit-events').expect(200)).body as Page<AuditEvent>;
    expect(
      seen.items.every((e) => e.action === 'auth.login_succeeded' && e.actor.label?.endsWith(`@${b.slug}.test`)),
    ).toBe(true);
  });
});
