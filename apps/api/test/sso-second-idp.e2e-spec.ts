import type { AuthTokenResponse, SsoConnection } from '@tenantry/contracts';
import express from 'express';
import samlp from 'samlp';
import request from 'supertest';
import { testKeyPair } from '../../../tools/testing/saml-keys.js';
import { refreshCookieOf, signIn } from './support/sessions.js';
import { startTestApp, type TestApp } from './support/test-app.js';

const CLAIMS = 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims';

/**
 * A second SAML implementation, independent of samlify: Auth0's `samlp`
 * Express middleware (over the `saml` package), so we do not just agree with
 * one library. It signs Response and Assertion with RSA-SHA256.
 */
describe('SSO sign-in with a second IdP implementation (Auth0 samlp)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('completes SP-initiated sign-in, JIT-provisioning the person with their name', async () => {
    const tenant = await t.data.aTenant();
    const domain = `${tenant.slug}.test`;
    await t.data.aDomain(tenant, domain);
    const owner = (await signIn(t, await t.data.aMember(tenant, 'owner'))).accessToken;
    const keys = await testKeyPair('Auth0 samlp test IdP');
    const host = `${tenant.slug}.localhost`;

    const connection = (await t.http.post('/api/sso/connections').set('Host', host).set('Authorization', `Bearer ${owner}`).send({
      name: 'samlp',
      idpEntityId: 'urn:samlp.example.test',
      idpSsoUrl: 'https://samlp.example.test/sso',
      idpCertificate: keys.certificate,
      domains: [domain],
      attributeMapping: { email: `${CLAIMS}/emailaddress`, firstName: `${CLAIMS}/givenname`, lastName: `${CLAIMS}/surname` },
    }).expect(201)).body as SsoConnection;
    const { acsUrl } = connection.serviceProvider;

    const idp = express();
    idp.get('/sso', samlp.auth({
      issuer: 'urn:samlp.example.test',
      cert: keys.certificate,
      key: keys.privateKey,
      signResponse: true,
      signatureAlgorithm: 'rsa-sha256',
      digestAlgorithm: 'sha256',
      destination: acsUrl,
      recipient: acsUrl,
      getPostURL: (_audience: string, _dom: unknown, _req: unknown, done: (err: Error | null, url?: string) => void) => done(null, acsUrl),
      getUserFromRequest: () => ({ id: `grace@${domain}`, emails: [{ value: `grace@${domain}` }], displayName: 'Grace Hopper', name: { givenName: 'Grace', familyName: 'Hopper' } }),
    }));

    const login = await t.http.get(`/api/sso/${connection.id}/login`).query({ returnTo: '/contacts' }).set('Host', host).expect(302);
    const location = new URL(login.headers.location);
    const page = await request(idp).get(`/sso${location.search}`).expect(200);
    const field = (name: string) => new RegExp(`name="${name}"\\s+value="([^"]*)"`).exec(page.text)?.[1];
    expect(page.text).toContain(`action="${acsUrl}"`);

    const acs = await t.http.post(`/api/sso/${connection.id}/acs`).set('Host', host).type('form').send({ SAMLResponse: field('SAMLResponse'), RelayState: field('RelayState') });
    expect({ status: acs.status, location: acs.headers.location }).toEqual({ status: 303, location: '/contacts' });
    const session = (await t.http.post('/api/auth/refresh').set('Host', host).set('Cookie', refreshCookieOf(acs)!).expect(200)).body as AuthTokenResponse;
    expect(session).toMatchObject({ tenant: { id: tenant.id }, role: 'member', user: { email: `grace@${domain}`, displayName: 'Grace Hopper' } });
  });
});
