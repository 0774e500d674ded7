import type { ErrorBody, SsoConnection } from '@tenantry/contracts';
import * as samlify from 'samlify';
import { testKeyPair } from '../../../tools/demo/saml-keys.js';
import type { TestTenant } from '@tenantry/testing/factories';
import { signIn } from './support/sessions.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { codeOf } from './support/error-body.js';

let t: TestApp;
let tenant: TestTenant;
let token: string;
let idpMetadata: string;
let certificate: string;
beforeAll(async () => {
  t = await startTestApp();
  tenant = await t.data.aTenant();
  token = (await signIn(t, await t.data.aMember(tenant, 'owner'))).accessToken;
  const keys = await testKeyPair('Test IdP');
  certificate = keys.certificate;
  // Metadata written by a SAML implementation we did not write (samlify, as an IdP).
  idpMetadata = samlify
    .IdentityProvider({
      entityID: 'https://idp.example.test/metadata',
      signingCert: keys.certificate,
      privateKey: keys.privateKey,
      singleSignOnService: [
        { Binding: 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect', Location: 'https://idp.example.test/sso' },
      ],
    })
    .getMetadata();
});
afterAll(() => t.close());

const call = (method: 'get' | 'post' | 'patch' | 'delete', path: string, as = token) =>
  t.http[method](`/api/sso${path}`).set('Host', `${tenant.slug}.localhost`).set('Authorization', `Bearer ${as}`);

describe('SSO connections', () => {
  it('are created from IdP metadata and tell the IdP administrator our entity ID and ACS URL', async () => {
    const res = await call('post', '/connections')
      .send({
        name: 'Okta',
        metadataXml: idpMetadata,
        attributeMapping: { groups: 'memberOf' },
        groupRoles: [{ group: 'it-admins', role: 'admin' }],
      })
      .expect(201);
    const connection = res.body as SsoConnection;
    expect(connection).toMatchObject({
      name: 'Okta',
      enabled: true,
      defaultRole: 'member',
      allowIdpInitiated: false,
      idp: {
        entityId: 'https://idp.example.test/metadata',
        ssoUrl: 'https://idp.example.test/sso',
        certificates: [{ subject: 'CN=Test IdP', validTo: expect.any(String) }],
      },
      attributeMapping: { email: null, firstName: null, lastName: null, groups: 'memberOf' },
      groupRoles: [{ group: 'it-admins', role: 'admin' }],
    });
    const base = `http://${tenant.slug}.localhost:3000/api/sso/${connection.id}`;
    expect(connection.serviceProvider).toEqual({
      entityId: `${base}/metadata`,
      acsUrl: `${base}/acs`,
      metadataUrl: `${base}/metadata`,
      nameIdFormat: 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress',
    });

    const metadata = await t.http
      .get(`/api/sso/${connection.id}/metadata`)
      .set('Host', `${tenant.slug}.localhost`)
      .expect(200);
    expect(metadata.headers['content-type']).toContain('application/samlmetadata+xml');
    expect(metadata.text).toContain(`entityID="${base}/metadata"`);
    expect(metadata.text).toContain(`Location="${base}/acs"`);
    expect(metadata.text).toContain('WantAssertionsSigned="true"');
  });

  it('can be set up by hand, changed, disabled and removed', async () => {
    const created = (
      await call('post', '/connections')
        .send({
          name: 'Manual',
          idpEntityId: 'urn:idp:manual',
          idpSsoUrl: 'https://manual.example.test/sso',
          idpCertificate: certificate,
          defaultRole: 'viewer',
        })
        .expect(201)
    ).body as SsoConnection;
    const updated = (
      await call('patch', `/connections/${created.id}`)
        .send({ enabled: false, idpSsoUrl: 'https://manual.example.test/v2/sso' })
        .expect(200)
    ).body as SsoConnection;
    expect(updated).toMatchObject({
      enabled: false,
      defaultRole: 'viewer',
      idp: { entityId: 'urn:idp:manual', ssoUrl: 'https://manual.example.test/v2/sso' },
    });
    await call('delete', `/connections/${created.id}`).expect(204);
    expect(((await call('get', '/connections').expect(200)).body as SsoConnection[]).map((c) => c.id)).not.toContain(
      created.id,
    );
    expect(codeOf(await call('delete', `/connections/${created.id}`).expect(404))).toBe('SSO_CONNECTION_NOT_FOUND');
  });

  it('refuse unusable IdP settings with SSO_METADATA_INVALID and a reason', async () => {
    const doctype = await call('post', '/connections')
      .send({ name: 'X', metadataXml: `<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>${idpMetadata}` })
      .expect(422);
    expect((doctype.body as ErrorBody).error).toMatchObject({
      code: 'SSO_METADATA_INVALID',
      details: { reason: expect.stringMatching(/DOCTYPE/) },
    });
    const missing = await call('post', '/connections').send({ name: 'X', idpEntityId: 'urn:idp:x' }).expect(422);
    expect((missing.body as ErrorBody).error.details?.reason).toMatch(/entity ID, SSO URL and signing certificate/);
    expect(
      codeOf(
        await call('post', '/connections')
          .send({ name: 'X', idpEntityId: 'urn:x', idpSsoUrl: 'https://x.test/', idpCertificate: 'not a certificate' })
          .expect(422),
      ),
    ).toBe('SSO_METADATA_INVALID');
    expect(
      codeOf(
        await call('post', '/connections')
          .send({ name: 'X', metadataXml: idpMetadata, defaultRole: 'owner' })
          .expect(400),
      ),
    ).toBe('VALIDATION_FAILED');
  });

  it('are read by admins and owners only, and never managed while impersonating', async () => {
    const member = (await signIn(t, await t.data.aMember(tenant, 'member'))).accessToken;
    expect(codeOf(await call('get', '/connections', member).expect(403))).toBe('FORBIDDEN');
    const root = await t.data.aSuperAdmin();
    const adminToken = (
      await t.http.post('/api/auth/login').send({ email: root.email, password: root.password }).expect(200)
    ).body.accessToken as string;
    const owner = await t.data.aMember(tenant, 'owner');
    const impersonation = await t.http
      .post('/api/platform/impersonations')
      .set('Authorization', `Bearer ${adminToken}`)
      .send({ tenantId: tenant.id, userId: owner.userId, reason: 'Ticket #1: look at the SSO set-up' })
      .expect(201);
    const res = await call('post', '/connections', impersonation.body.accessToken as string)
      .send({ name: 'Evil', metadataXml: idpMetadata })
      .expect(403);
    expect(codeOf(res)).toBe('IMPERSONATION_FORBIDDEN');
  });
});
