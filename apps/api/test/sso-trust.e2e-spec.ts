import type { AuditEvent, AuthTokenResponse, ErrorBody, Page, SsoConnection } from '@tenantry/contracts';
import type { Response } from 'supertest';
import type { TestMember, TestTenant } from '@tenantry/testing/factories';
import { TestSamlIdp, type TestSamlUser } from '../../../tools/demo/saml-idp.js';
import { refreshCookieOf, signIn } from './support/sessions.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { codeOf } from './support/error-body.js';

// Who a tenant's identity provider may vouch for, and where the sessions it starts are valid.

let t: TestApp;
let idp: TestSamlIdp;

const host = (tenant: TestTenant) => `${tenant.slug}.localhost`;

interface SsoTenant {
  tenant: TestTenant;
  domain: string;
  owner: TestMember;
  ownerToken: string;
  connection: SsoConnection;
}

/** A tenant with a verified domain, its owner, and a connection to the test IdP serving that domain. */
async function anSsoTenant(): Promise<SsoTenant> {
  const tenant = await t.data.aTenant();
  const domain = `${tenant.slug}.test`;
  await t.data.aDomain(tenant, domain);
  const owner = await t.data.aMember(tenant, 'owner');
  const ownerToken = (await signIn(t, owner)).accessToken;
  const res = await t.http
    .post('/api/sso/connections')
    .set('Host', host(tenant))
    .set('Authorization', `Bearer ${ownerToken}`)
    .send({ name: 'Corporate IdP', metadataXml: idp.metadata(), domains: [domain] })
    .expect(201);
  return { tenant, domain, owner, ownerToken, connection: res.body as SsoConnection };
}

/** A full SP-initiated round trip through the test IdP for `who`. */
async function signInThroughIdp(s: SsoTenant, who: TestSamlUser, through = idp): Promise<Response> {
  const { connection, tenant } = s;
  const sp = { entityId: connection.serviceProvider.entityId, acsUrl: connection.serviceProvider.acsUrl };
  const start = await t.http
    .get(`/api/sso/${connection.id}/login`)
    .query({ returnTo: '/contacts' })
    .set('Host', host(tenant))
    .expect(302);
  const request = await through.readRequest(start.headers.location as string, sp);
  return t.http
    .post(`/api/sso/${connection.id}/acs`)
    .set('Host', host(tenant))
    .type('form')
    .send({ SAMLResponse: await through.respond(sp, who, request.id), RelayState: request.relayState ?? '/' });
}

function expectSignedIn(res: Response): string {
  expect({ status: res.status, location: res.headers.location }).toEqual({ status: 303, location: '/contacts' });
  return refreshCookieOf(res)!;
}

function expectRefused(res: Response, code: string): void {
  expect({ status: res.status, location: res.headers.location }).toEqual({
    status: 303,
    location: `/sso/error?code=${code}`,
  });
  expect(refreshCookieOf(res)).toBeUndefined();
}

const refresh = (tenant: TestTenant, cookie: string) =>
  t.http.post('/api/auth/refresh').set('Host', host(tenant)).set('Cookie', cookie);

async function auditOf(s: SsoTenant, action: string): Promise<AuditEvent[]> {
  const res = await t.http
    .get('/api/audit-events')
    .query({ action })
    .set('Host', host(s.tenant))
    .set('Authorization', `Bearer ${s.ownerToken}`)
    .expect(200);
  return (res.body as Page<AuditEvent>).items;
}

/** The token of the confirmation link mailed to `email` (the `nth` such mail). */
async function mailedConfirmation(email: string, nth = 0): Promise<{ token: string; link: string }> {
  const mail = await t.mailbox.waitFor(email, /confirm/i, nth);
  const link = mail.links.find((l) => l.includes('/sso/confirm-link'))!;
  return { link, token: new URL(link).hash.replace('#token=', '') };
}

beforeAll(async () => {
  t = await startTestApp();
  idp = await TestSamlIdp.create();
});
afterAll(() => t.close());

describe("a session started by a tenant's identity provider", () => {
  it('works in that tenant only: refresh and switch to another tenant of the person are refused, and it keeps working at home', async () => {
    const acme = await anSsoTenant();
    const globex = await t.data.aTenant();
    const cookie = expectSignedIn(await signInThroughIdp(acme, { email: `jane@${acme.domain}` }));
    const home = (await refresh(acme.tenant, cookie).expect(200)).body as AuthTokenResponse;
    // Later the person also belongs to another tenant (an invitation accepted with a password, say).
    await t.data.query('insert into memberships (tenant_id, user_id, role) values ($1, $2, $3)', [
      globex.id,
      home.user.id,
      'admin',
    ]);

    const elsewhere = await refresh(globex, cookie).expect(403);
    expect(codeOf(elsewhere)).toBe('SSO_SESSION_TENANT_BOUND');
    expect(refreshCookieOf(elsewhere)).toBeUndefined(); // the cookie stays: it is still good at home
    const viaHeader = await t.http
      .post('/api/auth/refresh')
      .set('X-Tenant', globex.slug)
      .set('Cookie', cookie)
      .expect(403);
    expect(codeOf(viaHeader)).toBe('SSO_SESSION_TENANT_BOUND');
    const switched = await t.http
      .post('/api/auth/switch-tenant')
      .set('Host', host(acme.tenant))
      .set('Authorization', `Bearer ${home.accessToken}`)
      .send({ tenant: globex.slug })
      .expect(403);
    expect((switched.body as ErrorBody).error).toMatchObject({
      code: 'SSO_SESSION_TENANT_BOUND',
      details: { tenant: { slug: globex.slug } },
    });

    expect((await refresh(acme.tenant, cookie).expect(200)).body).toMatchObject({ tenant: { id: acme.tenant.id } });
  });

  it('does not bind a password session: it still switches between the tenants of the person', async () => {
    const acme = await anSsoTenant();
    const globex = await t.data.aTenant();
    await t.data.query('insert into memberships (tenant_id, user_id, role) values ($1, $2, $3)', [
      globex.id,
      acme.owner.userId,
      'member',
    ]);
    const session = await signIn(t, acme.owner);
    await refresh(globex, session.cookie).expect(200);
    await t.http
      .post('/api/auth/switch-tenant')
      .set('Host', host(acme.tenant))
      .set('Authorization', `Bearer ${session.accessToken}`)
      .send({ tenant: globex.slug })
      .expect(200);
  });
});

describe('linking an existing account to an identity provider', () => {
  it("never signs in a tenant's owner through its IdP until they confirm the mailed link; then it goes straight through", async () => {
    const acme = await anSsoTenant();
    const boss = await t.data.aMember(acme.tenant, 'owner', { email: `boss@${acme.domain}` });

    expectRefused(await signInThroughIdp(acme, { email: boss.email }), 'SSO_LINK_CONFIRMATION_REQUIRED');
    const { token, link } = await mailedConfirmation(boss.email);
    expect(link.startsWith(`http://${acme.tenant.slug}.localhost:3000/sso/confirm-link#token=`)).toBe(true);
    expect(await auditOf(acme, 'sso.account_link_requested')).toEqual([
      expect.objectContaining({ target: expect.objectContaining({ label: boss.email }) }),
    ]);

    // Opening the link shows what it confirms and confirms nothing.
    for (let i = 0; i < 2; i++) {
      const preview = await t.http
        .post('/api/sso/link/preview')
        .set('Host', host(acme.tenant))
        .send({ token })
        .expect(200);
      expect(preview.body).toEqual({
        tenantName: acme.tenant.name,
        connectionName: 'Corporate IdP',
        idpEntityId: idp.entityId,
        email: boss.email,
      });
    }
    expect(
      codeOf(
        await t.http
          .post('/api/sso/link/preview')
          .set('Host', host(acme.tenant))
          .send({ token: `${token.slice(0, -2)}xx` })
          .expect(400),
      ),
    ).toBe('TOKEN_INVALID');
    expect(
      codeOf(
        await t.http
          .post('/api/sso/link/preview')
          .set('Host', host((await anSsoTenant()).tenant))
          .send({ token })
          .expect(400),
      ),
    ).toBe('TOKEN_INVALID');
    expectRefused(await signInThroughIdp(acme, { email: boss.email }), 'SSO_LINK_CONFIRMATION_REQUIRED');

    // The link works at its own tenant only, and once.
    expect(
      codeOf(
        await t.http
          .post('/api/sso/link/confirm')
          .set('Host', host((await anSsoTenant()).tenant))
          .send({ token })
          .expect(400),
      ),
    ).toBe('TOKEN_INVALID');
    const confirmed = await t.http
      .post('/api/sso/link/confirm')
      .set('Host', host(acme.tenant))
      .send({ token })
      .expect(200);
    expect(confirmed.body).toEqual({
      connectionName: 'Corporate IdP',
      loginUrl: `http://${acme.tenant.slug}.localhost:3000/api/sso/${acme.connection.id}/login`,
    });
    expect(
      codeOf(await t.http.post('/api/sso/link/confirm').set('Host', host(acme.tenant)).send({ token }).expect(400)),
    ).toBe('TOKEN_INVALID');
    expect(
      codeOf(await t.http.post('/api/sso/link/preview').set('Host', host(acme.tenant)).send({ token }).expect(400)),
    ).toBe('TOKEN_INVALID');

    const cookie = expectSignedIn(await signInThroughIdp(acme, { email: boss.email }));
    expect((await refresh(acme.tenant, cookie).expect(200)).body).toMatchObject({
      role: 'owner',
      user: { id: boss.userId },
    });
    expectSignedIn(await signInThroughIdp(acme, { email: boss.email }));
    expect(t.mailbox.to(boss.email).filter((m) => /confirm/i.test(m.subject))).toHaveLength(1);
  });

  it('keeps the first link good when the IdP asks again right away, and mails it once', async () => {
    const acme = await anSsoTenant();
    const boss = await t.data.aMember(acme.tenant, 'owner', { email: `twice@${acme.domain}` });
    expectRefused(await signInThroughIdp(acme, { email: boss.email }), 'SSO_LINK_CONFIRMATION_REQUIRED');
    const { token } = await mailedConfirmation(boss.email);
    expectRefused(await signInThroughIdp(acme, { email: boss.email }), 'SSO_LINK_CONFIRMATION_REQUIRED');
    await t.http.post('/api/sso/link/confirm').set('Host', host(acme.tenant)).send({ token }).expect(200);
    expect((await auditOf(acme, 'sso.account_link_requested')).map((e) => e.metadata.mailed)).toEqual([false, true]);
  });

  it('does not ask someone the IdP already signed in here when they later become an owner', async () => {
    const acme = await anSsoTenant();
    const cookie = expectSignedIn(await signInThroughIdp(acme, { email: `rising@${acme.domain}` }));
    const { user } = (await refresh(acme.tenant, cookie).expect(200)).body as AuthTokenResponse;
    await t.data.query(`update memberships set role = 'owner' where tenant_id = $1 and user_id = $2`, [
      acme.tenant.id,
      user.id,
    ]);
    expectSignedIn(await signInThroughIdp(acme, { email: user.email }));
  });

  it('asks a member of other tenants to confirm too, and adds no membership before they do', async () => {
    const acme = await anSsoTenant();
    const other = await t.data.aTenant();
    const kim = await t.data.aMember(other, 'member', { email: `kim@${acme.domain}` });

    expectRefused(await signInThroughIdp(acme, { email: kim.email }), 'SSO_LINK_CONFIRMATION_REQUIRED');
    const memberships = () =>
      t.data.query('select 1 from memberships where tenant_id = $1 and user_id = $2', [acme.tenant.id, kim.userId]);
    expect((await memberships()).rowCount).toBe(0);
    const { token } = await mailedConfirmation(kim.email);
    await t.http.post('/api/sso/link/confirm').set('Host', host(acme.tenant)).send({ token }).expect(200);
    expectSignedIn(await signInThroughIdp(acme, { email: kim.email }));
    expect((await memberships()).rowCount).toBe(1);
  });

  it('asks again once an owner replaces the identity provider of the connection', async () => {
    const acme = await anSsoTenant();
    const boss = await t.data.aMember(acme.tenant, 'owner', { email: `head@${acme.domain}` });
    expectRefused(await signInThroughIdp(acme, { email: boss.email }), 'SSO_LINK_CONFIRMATION_REQUIRED');
    await t.http
      .post('/api/sso/link/confirm')
      .set('Host', host(acme.tenant))
      .send({ token: (await mailedConfirmation(boss.email)).token })
      .expect(200);
    expectSignedIn(await signInThroughIdp(acme, { email: boss.email }));

    const replacement = await TestSamlIdp.create({ entityId: 'https://new-idp.example.test/metadata' });
    await t.http
      .patch(`/api/sso/connections/${acme.connection.id}`)
      .set('Host', host(acme.tenant))
      .set('Authorization', `Bearer ${acme.ownerToken}`)
      .send({ metadataXml: replacement.metadata() })
      .expect(200);
    expectRefused(await signInThroughIdp(acme, { email: boss.email }, replacement), 'SSO_LINK_CONFIRMATION_REQUIRED');
  });

  it('asks again for a connection the person has not confirmed', async () => {
    const acme = await anSsoTenant();
    const boss = await t.data.aMember(acme.tenant, 'owner', { email: `chief@${acme.domain}` });
    expectRefused(await signInThroughIdp(acme, { email: boss.email }), 'SSO_LINK_CONFIRMATION_REQUIRED');
    await t.http
      .post('/api/sso/link/confirm')
      .set('Host', host(acme.tenant))
      .send({ token: (await mailedConfirmation(boss.email)).token })
      .expect(200);
    const second = (
      await t.http
        .post('/api/sso/connections')
        .set('Host', host(acme.tenant))
        .set('Authorization', `Bearer ${acme.ownerToken}`)
        .send({ name: 'Second IdP', metadataXml: idp.metadata() })
        .expect(201)
    ).body as SsoConnection;
    await t.http
      .patch(`/api/sso/connections/${acme.connection.id}`)
      .set('Host', host(acme.tenant))
      .set('Authorization', `Bearer ${acme.ownerToken}`)
      .send({ domains: [] })
      .expect(200);
    await t.http
      .patch(`/api/sso/connections/${second.id}`)
      .set('Host', host(acme.tenant))
      .set('Authorization', `Bearer ${acme.ownerToken}`)
      .send({ domains: [acme.domain] })
      .expect(200);
    expectRefused(
      await signInThroughIdp({ ...acme, connection: second }, { email: boss.email }),
      'SSO_LINK_CONFIRMATION_REQUIRED',
    );
  });
});

describe('who may change what a connection trusts', () => {
  let acme: SsoTenant;
  let adminToken: string;
  let secondOwner: TestMember;
  let otherIdp: TestSamlIdp;
  beforeAll(async () => {
    acme = await anSsoTenant();
    secondOwner = await t.data.aMember(acme.tenant, 'owner');
    adminToken = (await signIn(t, await t.data.aMember(acme.tenant, 'admin'))).accessToken;
    otherIdp = await TestSamlIdp.create({
      entityId: 'https://evil.example.test/metadata',
      ssoUrl: 'https://evil.example.test/sso',
    });
  });
  const patch = (body: Record<string, unknown>, token = adminToken) =>
    t.http
      .patch(`/api/sso/connections/${acme.connection.id}`)
      .set('Host', host(acme.tenant))
      .set('Authorization', `Bearer ${token}`)
      .send(body);
  const current = async () =>
    (
      await t.http
        .get(`/api/sso/connections`)
        .set('Host', host(acme.tenant))
        .set('Authorization', `Bearer ${adminToken}`)
        .expect(200)
    ).body as SsoConnection[];

  it('refuses an admin a new connection: an admin cannot bring an IdP that signs in as the owner', async () => {
    const res = await t.http
      .post('/api/sso/connections')
      .set('Host', host(acme.tenant))
      .set('Authorization', `Bearer ${adminToken}`)
      .send({ name: 'Mine', metadataXml: otherIdp.metadata() })
      .expect(403);
    expect((res.body as ErrorBody).error).toMatchObject({
      code: 'FORBIDDEN',
      details: { permission: 'sso.trust', allowed: ['owner'] },
    });
    expect(await current()).toHaveLength(1);
  });

  it.each([
    ['the IdP metadata', () => ({ metadataXml: otherIdp.metadata() })],
    ['the signing certificate', () => ({ idpCertificate: otherIdp.keys.certificate })],
    ['the entity ID', () => ({ idpEntityId: 'https://evil.example.test/metadata' })],
    ['the SSO URL', () => ({ idpSsoUrl: 'https://evil.example.test/sso' })],
    ['the domains it serves', () => ({ domains: [] })],
    ['the email attribute', () => ({ attributeMapping: { email: 'mail' } })],
  ])('refuses an admin a change of %s, and changes nothing', async (_what, body) => {
    const res = await patch({ name: 'Renamed', ...body() }).expect(403);
    expect((res.body as ErrorBody).error).toMatchObject({
      code: 'FORBIDDEN',
      details: { permission: 'sso.trust', reason: expect.stringMatching(/only owners/) },
    });
    expect((await current())[0]).toMatchObject({
      name: 'Corporate IdP',
      idp: { entityId: idp.entityId, ssoUrl: idp.ssoUrl },
      domains: [acme.domain],
      attributeMapping: { email: null },
    });
  });

  it('lets an admin rename a connection, turn it off, and map groups to roles', async () => {
    await patch({
      name: 'Okta',
      enabled: false,
      defaultRole: 'viewer',
      groupRoles: [{ group: 'g', role: 'admin' }],
    }).expect(200);
    await patch({ name: 'Corporate IdP', enabled: false, defaultRole: 'member', groupRoles: [] }).expect(200);
  });

  it('refuses an admin turning back on a connection that was switched off; an owner may, on the record, and every owner is told', async () => {
    const s = await anSsoTenant();
    const admin = (await signIn(t, await t.data.aMember(s.tenant, 'admin'))).accessToken;
    const patchIt = (body: Record<string, unknown>, token: string) =>
      t.http
        .patch(`/api/sso/connections/${s.connection.id}`)
        .set('Host', host(s.tenant))
        .set('Authorization', `Bearer ${token}`)
        .send(body);
    await patchIt({ enabled: false }, s.ownerToken).expect(200);

    const refused = await patchIt({ enabled: true }, admin).expect(403);
    expect((refused.body as ErrorBody).error).toMatchObject({
      code: 'FORBIDDEN',
      details: { permission: 'sso.trust', fields: ['enabled'], reason: expect.stringMatching(/only owners/) },
    });
    const start = await t.http.get(`/api/sso/${s.connection.id}/login`).set('Host', host(s.tenant)).expect(303);
    expect(start.headers.location).toBe('/sso/error?code=SSO_CONNECTION_DISABLED');
    await patchIt({ enabled: false, name: 'Still off' }, admin).expect(200);

    await patchIt({ enabled: true }, s.ownerToken).expect(200);
    const [entry] = await auditOf(s, 'sso.connection_updated');
    expect(entry).toMatchObject({ actor: { label: s.owner.email }, metadata: { changed: ['enabled'] } });
    expect((await t.mailbox.waitFor(s.owner.email, /identity provider changed/)).text).toContain('turned back on');
  });

  it('lets an owner replace the IdP, on the record, and tells every owner by mail', async () => {
    await patch({ metadataXml: otherIdp.metadata() }, acme.ownerToken).expect(200);
    const [entry] = await auditOf(acme, 'sso.connection_updated');
    expect(entry).toMatchObject({
      actor: { label: acme.owner.email },
      metadata: { changed: ['metadataXml'], idp: { from: idp.entityId, to: otherIdp.entityId } },
    });
    for (const owner of [acme.owner, secondOwner]) {
      const mail = await t.mailbox.waitFor(owner.email, /identity provider changed/);
      expect(mail.text).toContain(acme.owner.email);
      expect(mail.text).toContain(otherIdp.entityId);
    }
    await patch({ metadataXml: idp.metadata() }, acme.ownerToken).expect(200);
  });

  it('tells every owner when an owner adds a connection', async () => {
    const created = await t.http
      .post('/api/sso/connections')
      .set('Host', host(acme.tenant))
      .set('Authorization', `Bearer ${acme.ownerToken}`)
      .send({ name: 'Backup IdP', metadataXml: otherIdp.metadata() })
      .expect(201);
    const mail = await t.mailbox.waitFor(secondOwner.email, /Backup IdP/);
    expect(mail.text).toContain(otherIdp.entityId);
    await t.http
      .delete(`/api/sso/connections/${(created.body as SsoConnection).id}`)
      .set('Host', host(acme.tenant))
      .set('Authorization', `Bearer ${acme.ownerToken}`)
      .expect(204);
  });
});
