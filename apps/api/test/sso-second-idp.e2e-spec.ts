import type { AuthTokenResponse, SsoConnection } from '@tenantry/contracts';
import express from 'express';
import samlp from 'samlp';
import request from 'supertest';
import type { TestTenant } from '@tenantry/testing/factories';
import { testKeyPair } from '../../../tools/demo/saml-keys.js';
import { refreshCookieOf, signIn } from './support/sessions.js';
import { startTestApp, type TestApp } from './support/test-app.js';

const CLAIMS = 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims';

/**
 * A second SAML implementation, independent of samlify: Auth0's `samlp`
 * Express middleware (over the `saml` package), so we do not just agree with
 * one library. It signs Response and Assertion, with the algorithms each test
 * names (its signature and digest algorithms are set apart, unlike samlify's).
 */
describe('SSO sign-in with a second IdP implementation (Auth0 samlp)', () => {
  let t: TestApp;
  let tenant: TestTenant;
  let domain: string;
  let host: string;
  let keys: { privateKey: string; certificate: string };
  let connection: SsoConnection;

  beforeAll(async () => {
    t = await startTestApp();
    tenant = await t.data.aTenant();
    domain = `${tenant.slug}.test`;
    host = `${tenant.slug}.localhost`;
    await t.data.aDomain(tenant, domain);
    const owner = (await signIn(t, await t.data.aMember(tenant, 'owner'))).accessToken;
    keys = await testKeyPair('Auth0 samlp test IdP');
    connection = (
      await t.http
        .post('/api/sso/connections')
        .set('Host', host)
        .set('Authorization', `Bearer ${owner}`)
        .send({
          name: 'samlp',
          idpEntityId: 'urn:samlp.example.test',
          idpSsoUrl: 'https://samlp.example.test/sso',
          idpCertificate: keys.certificate,
          domains: [domain],
          attributeMapping: {
            email: `${CLAIMS}/emailaddress`,
            firstName: `${CLAIMS}/givenname`,
            lastName: `${CLAIMS}/surname`,
          },
        })
        .expect(201)
    ).body as SsoConnection;
  });
  afterAll(() => t.close());

  /** SP-initiated sign-in through samlp signing as told; the ACS's answer. */
  async function signInThroughSamlp(
    local: string,
    algorithms: { signatureAlgorithm: string; digestAlgorithm: string },
  ) {
    const { acsUrl } = connection.serviceProvider;
    const idp = express();
    idp.get(
      '/sso',
      samlp.auth({
        issuer: 'urn:samlp.example.test',
        cert: keys.certificate,
        key: keys.privateKey,
        signResponse: true,
        ...algorithms,
        destination: acsUrl,
        recipient: acsUrl,
        getPostURL: (
          _audience: string,
          _dom: unknown,
          _req: unknown,
          done: (err: Error | null, url?: string) => void,
        ) => done(null, acsUrl),
        getUserFromRequest: () => ({
          id: `${local}@${domain}`,
          emails: [{ value: `${local}@${domain}` }],
          displayName: 'Grace Hopper',
          name: { givenName: 'Grace', familyName: 'Hopper' },
        }),
      }),
    );

    const login = await t.http
      .get(`/api/sso/${connection.id}/login`)
      .query({ returnTo: '/contacts' })
      .set('Host', host)
      .expect(302);
    const location = new URL(login.headers.location);
    const page = await request(idp).get(`/sso${location.search}`).expect(200);
    const field = (name: string) => new RegExp(`name="${name}"\\s+value="([^"]*)"`).exec(page.text)?.[1];
    expect(page.text).toContain(`action="${acsUrl}"`);
    const samlResponse = Buffer.from(field('SAMLResponse')!, 'base64').toString();
    return {
      samlResponse,
      acs: await t.http
        .post(`/api/sso/${connection.id}/acs`)
        .set('Host', host)
        .type('form')
        .send({ SAMLResponse: field('SAMLResponse'), RelayState: field('RelayState') }),
    };
  }

  it('completes SP-initiated sign-in, JIT-provisioning the person with their name', async () => {
    const { acs } = await signInThroughSamlp('grace', { signatureAlgorithm: 'rsa-sha256', digestAlgorithm: 'sha256' });
    expect({ status: acs.status, location: acs.headers.location }).toEqual({ status: 303, location: '/contacts' });
    const session = (
      await t.http.post('/api/auth/refresh').set('Host', host).set('Cookie', refreshCookieOf(acs)!).expect(200)
    ).body as AuthTokenResponse;
    expect(session).toMatchObject({
      tenant: { id: tenant.id },
      role: 'member',
      user: { email: `grace@${domain}`, displayName: 'Grace Hopper' },
    });
  });

  it.each([
    [
      'an RSA-SHA1 signature over SHA-256 digests',
      { signatureAlgorithm: 'rsa-sha1', digestAlgorithm: 'sha256' },
      'xmldsig#rsa-sha1',
    ],
    [
      'an RSA-SHA256 signature over SHA-1 digests',
      { signatureAlgorithm: 'rsa-sha256', digestAlgorithm: 'sha1' },
      'xmldsig#sha1',
    ],
  ])('refuses %s, signed by the right key', async (_name, algorithms, uri) => {
    const local = `weak-${algorithms.signatureAlgorithm}-${algorithms.digestAlgorithm}`;
    const { samlResponse, acs } = await signInThroughSamlp(local, algorithms);
    expect(samlResponse).toContain(uri);
    expect({ status: acs.status, location: acs.headers.location }).toEqual({
      status: 303,
      location: '/sso/error?code=SSO_RESPONSE_INVALID',
    });
    expect(refreshCookieOf(acs)).toBeUndefined();
    const failures = await t.data.query<{ metadata: { reason: string } }>(
      `select metadata from audit_events where tenant_id = $1 and action = 'auth.sso_login_failed' order by created_at desc limit 1`,
      [tenant.id],
    );
    expect(failures.rows[0].metadata.reason).toBe('signature_weak_algorithm');
    expect((await t.data.query('select 1 from users where email = $1', [`${local}@${domain}`])).rowCount).toBe(0);
  });
});
