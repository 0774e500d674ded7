import type {
  AuditEvent,
  AuthTokenResponse,
  CreatedTenant,
  Page,
  PlatformAuditEvent,
  PlatformTenantDetail,
  PlatformTenantPage,
  PlatformTenantRow,
} from '@tenantry/contracts';
import { signIn } from './support/sessions.js';
import { withOperator } from './support/console-app.js';
import { errorOf } from './support/error-body.js';

const { t, platform } = withOperator();

const list = async (query: string) =>
  (await platform('get', `/tenants?${query}`).expect(200)).body as PlatformTenantPage;

/** Every page of a listing, following the cursors. */
async function allPages(query: string): Promise<PlatformTenantRow[]> {
  const rows: PlatformTenantRow[] = [];
  let cursor: string | null = null;
  do {
    const page = await list(`${query}${cursor ? `&cursor=${cursor}` : ''}`);
    rows.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return rows;
}

describe('console tenant list', () => {
  it('finds a tenant by name, slug, owner email, verified domain or custom domain, and filters by status and plan', async () => {
    const target = await t.data.aTenant({ name: 'Zebra Logistics', slug: 'zebra-logistics', plan: 'pro' });
    const owner = await t.data.aMember(target, 'owner', { email: 'ceo@zebra-mail.test' });
    await t.data.aMember(target, 'member');
    await t.data.aDomain(target, 'zebra-corp.test');
    await t.data.aCustomDomain(target, 'portal.zebra-web.test');
    const other = await t.data.aTenant({ name: 'Other Co', plan: 'pro' });
    await t.data.aMember(other, 'owner', { email: 'someone@elsewhere.test' });
    await t.data.aMember(other, 'member', { email: 'member@zebra-mail.test' }); // only owners' emails are searched

    for (const q of ['zebra log', 'ZEBRA-LOGISTICS', 'ceo@zebra', 'zebra-corp.test', 'portal.zebra-web']) {
      const page = await list(`q=${encodeURIComponent(q)}`);
      expect({ q, found: page.items.map((i) => i.id) }).toEqual({ q, found: [target.id] });
      expect(page.total).toBe(1);
    }
    const [row] = (await list('q=zebra-logistics')).items;
    expect(row).toMatchObject({
      slug: 'zebra-logistics',
      name: 'Zebra Logistics',
      plan: 'pro',
      status: 'active',
      members: 2,
      ownerEmail: owner.email,
    });
    // Wildcards are literal.
    expect((await list('q=%25')).total).toBe(0);

    const suspended = await t.data.aTenant({ name: 'Paused Ltd', status: 'suspended', plan: 'starter' });
    expect((await allPages('status=suspended&limit=100')).map((r) => r.id)).toEqual([suspended.id]);
    expect((await allPages('plan=starter&limit=100')).map((r) => r.id)).toEqual([suspended.id]);
    expect((await list('plan=pro&status=suspended')).total).toBe(0);
    expect(errorOf(await platform('get', '/tenants?status=gone').expect(400)).code).toBe('VALIDATION_FAILED');
  });

  it('sorts by name, creation or members and pages through every tenant exactly once', async () => {
    const names = ['Mango', 'apple', 'Kiwi', 'banana', 'Cherry', 'lime', 'Date'];
    const made = [];
    for (const [i, name] of names.entries()) {
      const tenant = await t.data.aTenant({ name: `Fruit ${name}` });
      for (let m = 0; m < i % 3; m++) await t.data.aMember(tenant, 'member');
      made.push(tenant);
    }
    const byName = await allPages('q=fruit&sort=name&limit=3');
    expect(byName.map((r) => r.name)).toEqual(
      names.map((n) => `Fruit ${n}`).sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase())),
    );
    expect((await allPages('q=fruit&sort=name&order=desc&limit=2')).map((r) => r.name)).toEqual(
      byName.map((r) => r.name).reverse(),
    );
    expect((await allPages('q=fruit&sort=created&limit=3')).map((r) => r.id)).toEqual(made.map((m) => m.id).reverse());
    const byMembers = await allPages('q=fruit&sort=members&limit=2');
    expect(byMembers.map((r) => r.members)).toEqual([2, 2, 1, 1, 0, 0, 0]);
    expect(new Set(byMembers.map((r) => r.id)).size).toBe(7);
    // After a filter with a single parameter, too.
    const fruit = new Set(made.map((m) => m.id));
    const activeByMembers = (await allPages('status=active&sort=members&limit=100')).filter((r) => fruit.has(r.id));
    expect(activeByMembers.map((r) => r.members)).toEqual([2, 2, 1, 1, 0, 0, 0]);

    const first = await list('q=fruit&sort=name&limit=3');
    expect(first.total).toBe(7);
    expect(
      errorOf(await platform('get', `/tenants?q=fruit&sort=members&cursor=${first.nextCursor}`).expect(400)).code,
    ).toBe('INVALID_CURSOR');
    expect(errorOf(await platform('get', '/tenants?cursor=not-a-cursor').expect(400)).code).toBe('INVALID_CURSOR');
  });

  it('is for super admins only', async () => {
    const tenant = await t.data.aTenant();
    const owner = await t.data.aMember(tenant, 'owner');
    const token = (await signIn(t, owner)).accessToken;
    const host = `${tenant.slug}.localhost`;
    expect(
      errorOf(
        await t.http.get('/api/platform/tenants').set('Host', host).set('Authorization', `Bearer ${token}`).expect(403),
      ).code,
    ).toBe('FORBIDDEN');
    expect(
      errorOf(
        await t.http
          .get(`/api/platform/tenants/${tenant.id}`)
          .set('Host', host)
          .set('Authorization', `Bearer ${token}`)
          .expect(403),
      ).code,
    ).toBe('FORBIDDEN');
    await t.http.get('/api/platform/tenants').expect(401);
  });
});

describe('creating a tenant from the console', () => {
  it('creates the tenant on its plan and invites its owner, who joins through the link', async () => {
    const res = await platform('post', '/tenants')
      .send({ name: '  Hooli ', slug: 'hooli', ownerEmail: 'Gavin@Hooli.test', plan: 'pro' })
      .expect(201);
    const created = res.body as CreatedTenant;
    expect(created.tenant).toMatchObject({
      name: 'Hooli',
      slug: 'hooli',
      plan: 'pro',
      status: 'trial',
      members: 0,
      ownerEmail: null,
    });
    expect(created.invitation).toMatchObject({ email: 'gavin@hooli.test', role: 'owner', status: 'pending' });

    const mail = await t.mailbox.waitFor('gavin@hooli.test');
    expect(mail.subject).toMatch(/invited you to Hooli/);
    const token = new URL(mail.links[0]).hash.slice('#token='.length);
    expect(mail.links[0]).toMatch(/^http:\/\/hooli\.localhost:3000\/accept-invitation#token=/);
    const joined = (
      await t.http
        .post('/api/invitations/accept')
        .set('Host', 'hooli.localhost')
        .send({ token, displayName: 'Gavin Belson', password: 'a long and unusual passphrase' })
        .expect(200)
    ).body as AuthTokenResponse;
    expect(joined).toMatchObject({ role: 'owner', tenant: { slug: 'hooli' } });
    expect((await list('q=hooli')).items[0]).toMatchObject({ members: 1, ownerEmail: 'gavin@hooli.test' });

    const { rows } = await t.data.query<{ action: string; metadata: { slug?: string } }>(
      `select action, metadata from platform_audit_events where subject_id = $1 order by created_at`,
      [created.tenant.id],
    );
    expect(rows.map((r) => r.action)).toEqual(
      expect.arrayContaining(['invitation.sent', 'tenant.plan_changed', 'tenant.created']),
    );
  });

  it('refuses a taken or reserved address, an unknown plan and bad input, leaving nothing behind', async () => {
    const taken = await t.data.aTenant({ slug: 'initech' });
    expect(
      errorOf(
        await platform('post', '/tenants')
          .send({ name: 'Initech 2', slug: taken.slug, ownerEmail: 'bill@initech2.test' })
          .expect(409),
      ).code,
    ).toBe('SLUG_TAKEN');
    expect(
      errorOf(
        await platform('post', '/tenants').send({ name: 'API', slug: 'api', ownerEmail: 'x@api.test' }).expect(409),
      ).code,
    ).toBe('SLUG_TAKEN');
    expect(
      errorOf(
        await platform('post', '/tenants')
          .send({ name: 'Nope', slug: 'nope-co', ownerEmail: 'x@nope.test', plan: 'platinum' })
          .expect(404),
      ).code,
    ).toBe('PLAN_NOT_FOUND');
    const bad = errorOf(
      await platform('post', '/tenants').send({ name: 'X', slug: 'Not A Slug', ownerEmail: 'nobody' }).expect(400),
    );
    expect(bad.code).toBe('VALIDATION_FAILED');
    expect((bad.details?.fields as { field: string }[]).map((f) => f.field).sort()).toEqual([
      'name',
      'ownerEmail',
      'slug',
    ]);
    const { rows } = await t.data.query(
      `select 1 from tenants where name in ('Initech 2', 'API', 'Nope') or slug = 'nope-co'`,
    );
    expect(rows).toEqual([]);
    const invitations = await t.data.query(
      `select 1 from invitations where email in ('bill@initech2.test', 'x@api.test', 'x@nope.test')`,
    );
    expect(invitations.rows).toEqual([]);
  });
});

describe('tenant detail', () => {
  it("shows one tenant's plan, features, branding, domains, SSO and invitations, and nothing of another's", async () => {
    const tenant = await t.data.aTenant({ name: 'Detail Co', plan: 'pro', primaryColor: '#123456' });
    await t.data.aMember(tenant, 'owner');
    await t.data.aDomain(tenant, 'detail.test');
    await t.data.aCustomDomain(tenant, 'app.detail.test');
    await t.data.anSsoConnection(tenant, 'https://idp.detail.test');
    await t.data.anInvitation(tenant, 'new@detail.test');
    const other = await t.data.aTenant();
    await t.data.aDomain(other, 'other-detail.test');
    await t.data.anSsoConnection(other, 'https://idp.other.test');
    await t.data.anInvitation(other, 'new@other.test');

    const detail = (await platform('get', `/tenants/${tenant.id}`).expect(200)).body as PlatformTenantDetail;
    expect(detail.tenant).toMatchObject({ id: tenant.id, name: 'Detail Co', plan: 'pro', members: 1 });
    expect(detail.url).toBe(`http://${tenant.slug}.localhost:3000/`);
    expect(detail.plan.plan.code).toBe('pro');
    expect(detail.plan.seats.used).toBe(2); // the owner and the open invitation
    expect(detail.features.sso.enabled).toBe(true);
    expect(detail.branding.primaryColor).toBe('#123456');
    expect(detail.domains.map((d) => d.domain)).toEqual(['detail.test']);
    expect(detail.customDomains.map((d) => d.hostname)).toEqual(['app.detail.test']);
    expect(detail.sso.map((c) => c.idp.entityId)).toEqual(['https://idp.detail.test']);
    expect(detail.invitations.map((i) => i.email)).toEqual(['new@detail.test']);

    expect(errorOf(await platform('get', '/tenants/00000000-0000-4000-8000-000000000000').expect(404)).code).toBe(
      'TENANT_NOT_FOUND',
    );
    expect(errorOf(await platform('get', '/tenants/not-an-id').expect(400)).code).toBe('VALIDATION_FAILED');
  });

  it("renames a tenant and changes its support setting, in its log and the platform's; its audit log reads from the console", async () => {
    const tenant = await t.data.aTenant({ name: 'Old Name' });
    const renamed = (
      await platform('patch', `/tenants/${tenant.id}`)
        .send({ name: 'New Name', impersonationConsentRequired: true })
        .expect(200)
    ).body as PlatformTenantRow;
    expect(renamed).toMatchObject({ name: 'New Name', impersonationConsentRequired: true });
    expect((await t.http.get('/api/branding').set('Host', `${tenant.slug}.localhost`).expect(200)).body).toMatchObject({
      name: 'New Name',
    });
    expect(errorOf(await platform('patch', `/tenants/${tenant.id}`).send({ name: '' }).expect(400)).code).toBe(
      'VALIDATION_FAILED',
    );

    const log = (await platform('get', `/tenants/${tenant.id}/audit-events`).expect(200)).body as Page<AuditEvent>;
    expect(log.items.map((e) => e.action)).toEqual(['tenant.support_consent_changed', 'tenant.renamed']);
    expect(log.items[1]).toMatchObject({ metadata: { from: 'Old Name', to: 'New Name' } });
    const platformLog = (await platform('get', `/audit-events?tenantId=${tenant.id}`).expect(200))
      .body as Page<PlatformAuditEvent>;
    expect(platformLog.items.map((e) => e.action)).toEqual(['tenant.support_consent_changed', 'tenant.renamed']);
    expect(platformLog.items[0].subject).toEqual({ type: 'tenant', id: tenant.id, label: 'New Name' });
  });
});

describe('platform audit log', () => {
  it('filters by action family, actor and time, pages newest first, and is for super admins only', async () => {
    const tenants = [];
    for (let i = 0; i < 3; i++) tenants.push(await t.data.aTenant());
    const since = new Date().toISOString();
    for (const tenant of tenants) {
      await platform('post', `/tenants/${tenant.id}/suspend`).send({ reason: 'Audit log test suspension' }).expect(200);
      await platform('post', `/tenants/${tenant.id}/reactivate`).expect(200);
    }
    const seen: PlatformAuditEvent[] = [];
    let cursor: string | null = null;
    do {
      const page = (
        await platform(
          'get',
          `/audit-events?action=tenant&from=${since}&limit=4${cursor ? `&cursor=${cursor}` : ''}`,
        ).expect(200)
      ).body as Page<PlatformAuditEvent>;
      seen.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen.map((e) => e.action)).toEqual(tenants.flatMap(() => ['tenant.reactivated', 'tenant.suspended']));
    expect(seen.map((e) => e.subject.id)).toEqual(tenants.reverse().flatMap((x) => [x.id, x.id]));
    const suspensions = (await platform('get', `/audit-events?action=tenant.suspended&from=${since}`).expect(200))
      .body as Page<PlatformAuditEvent>;
    expect(suspensions.items).toHaveLength(3);
    expect(suspensions.items[0].metadata).toMatchObject({ reason: 'Audit log test suspension' });
    expect(suspensions.items.every((e) => e.actor.label?.endsWith('@platform.test'))).toBe(true);
    expect(
      ((await platform('get', `/audit-events?actor=nobody@nowhere.test`).expect(200)).body as Page<PlatformAuditEvent>)
        .items,
    ).toEqual([]);
    expect(errorOf(await platform('get', '/audit-events?action=DROP TABLE').expect(400)).code).toBe(
      'VALIDATION_FAILED',
    );

    const owner = await t.data.aMember(tenants[0], 'owner');
    const token = (await signIn(t, owner)).accessToken;
    expect(
      errorOf(
        await t.http
          .get('/api/platform/audit-events')
          .set('Host', `${tenants[0].slug}.localhost`)
          .set('Authorization', `Bearer ${token}`)
          .expect(403),
      ).code,
    ).toBe('FORBIDDEN');
  });
});
