import type { SsoConnection } from '@tenantry/contracts';
import type { TestTenant } from '@tenantry/testing/factories';
import { TestSamlIdp } from '../../../tools/demo/saml-idp.js';
import { signIn } from './support/sessions.js';
import { startTestApp, type TestApp } from './support/test-app.js';

let t: TestApp;
let idp: TestSamlIdp;
let acme: TestTenant;
let ownerToken: string;

beforeAll(async () => {
  // Addresses come from X-Forwarded-For (a trusted proxy), so one test can speak from many.
  t = await startTestApp({
    env: { TRUST_PROXY: 'true', SSO_MAX_REQUESTS_PER_IP: '5', SSO_MAX_REQUESTS_PER_CONNECTION: '12' },
  });
  idp = await TestSamlIdp.create();
  acme = await t.data.aTenant();
  ownerToken = (await signIn(t, await t.data.aMember(acme, 'owner'))).accessToken;
});
afterAll(() => t.close());

const host = () => `${acme.slug}.localhost`;
const aConnection = async (name: string) =>
  (
    await t.http
      .post('/api/sso/connections')
      .set('Host', host())
      .set('Authorization', `Bearer ${ownerToken}`)
      .send({ name, metadataXml: idp.metadata() })
      .expect(201)
  ).body as SsoConnection;
const start = (connection: SsoConnection, ip: string) =>
  t.http.get(`/api/sso/${connection.id}/login`).set('Host', host()).set('X-Forwarded-For', ip);
const acs = (connection: SsoConnection, ip: string, xml = '<samlp:Response/>') =>
  t.http
    .post(`/api/sso/${connection.id}/acs`)
    .set('Host', host())
    .set('X-Forwarded-For', ip)
    .type('form')
    .send({ SAMLResponse: Buffer.from(xml).toString('base64') });
/** Fails the XML bounds (too many elements): refused before any parser runs. */
const padded = `<samlp:Response>${'<a/>'.repeat(200)}</samlp:Response>`;
const refusedForLimit = (location: string) => location === '/sso/error?code=TOO_MANY_ATTEMPTS';
const failures = async () =>
  (
    await t.data.query<{ n: number }>(
      `select count(*)::int as n from audit_events where tenant_id = $1 and action = 'auth.sso_login_failed'`,
      [acme.id],
    )
  ).rows[0].n;

describe('SSO sign-in rate limits', () => {
  it('lets one address start or post to the ACS 5 times a minute, then refuses it (nothing parsed or recorded); other addresses go on', async () => {
    const connection = await aConnection('Per address');
    for (let i = 0; i < 4; i++)
      expect((await start(connection, '10.2.0.1').expect(302)).headers.location.startsWith(idp.ssoUrl)).toBe(true);
    expect((await acs(connection, '10.2.0.1')).headers.location).toBe('/sso/error?code=SSO_RESPONSE_INVALID');
    const recorded = await failures();

    expect(refusedForLimit((await start(connection, '10.2.0.1').expect(303)).headers.location)).toBe(true);
    expect(refusedForLimit((await acs(connection, '10.2.0.1').expect(303)).headers.location)).toBe(true);
    expect(await failures()).toBe(recorded);
    await start(connection, '10.2.0.2').expect(302);
  });

  it('counts the addresses of one IPv6 /64 together', async () => {
    const connection = await aConnection('IPv6');
    for (let i = 1; i <= 5; i++) await start(connection, `2001:db8:7:1::${i}`).expect(302);
    expect(refusedForLimit((await start(connection, '2001:db8:7:1:ffff::9').expect(303)).headers.location)).toBe(true);
    await start(connection, '2001:db8:7:2::1').expect(302);
  });

  it('does not let sign-in starts from many addresses shut the connection for anyone else', async () => {
    const connection = await aConnection('Flooded with starts');
    for (let i = 0; i < 20; i++) await start(connection, `10.3.0.${i}`).expect(302);
    await start(connection, '10.3.1.1').expect(302);
  });

  it('does not let junk ACS posts that fail the XML bounds shut the connection', async () => {
    const connection = await aConnection('Flooded with junk');
    for (let i = 0; i < 20; i++)
      expect((await acs(connection, `10.4.0.${i}`, padded)).headers.location).toBe(
        '/sso/error?code=SSO_RESPONSE_TOO_LARGE',
      );
    await start(connection, '10.4.1.1').expect(302);
    expect((await acs(connection, '10.4.1.2')).headers.location).toBe('/sso/error?code=SSO_RESPONSE_INVALID');
  });

  it('refuses responses within the bounds beyond 12 a minute per connection, from any addresses; other connections go on', async () => {
    const busy = await aConnection('Busy');
    for (let i = 0; i < 12; i++)
      expect((await acs(busy, `10.5.0.${i}`)).headers.location).toBe('/sso/error?code=SSO_RESPONSE_INVALID');
    const recorded = await failures();
    expect(refusedForLimit((await acs(busy, '10.5.1.1').expect(303)).headers.location)).toBe(true);
    expect(await failures()).toBe(recorded);
    await start(busy, '10.5.1.2').expect(302);
    expect((await acs(await aConnection('Quiet'), '10.5.1.3')).headers.location).toBe(
      '/sso/error?code=SSO_RESPONSE_INVALID',
    );
  });
});
