import { deflateSync } from 'node:zlib';
import type { AuditEvent, AuthTokenResponse, Page, SsoConnection, SsoDiscovery } from '@tenantry/contracts';
import type { Response } from 'supertest';
import { SignedXml } from 'xml-crypto';
import { REDIS } from '@tenantry/api-core';
import type { Redis } from 'ioredis';
import type { TestTenant } from '../../../tools/testing/factories.js';
import { type ResponseTags, TestSamlIdp, type TestSamlUser, type TestSp } from '../../../tools/testing/saml-idp.js';
import { refreshCookieOf, signIn } from './support/sessions.js';
import { startTestApp, type TestApp } from './support/test-app.js';

let t: TestApp;
let idp: TestSamlIdp;
let acme: TestTenant;
let adminToken: string;
let connection: SsoConnection;
let sp: TestSp;
let domain: string;

const host = (tenant: TestTenant) => `${tenant.slug}.localhost`;

async function createConnection(tenant: TestTenant, token: string, fields: Record<string, unknown>): Promise<SsoConnection> {
  const res = await t.http.post('/api/sso/connections').set('Host', host(tenant)).set('Authorization', `Bearer ${token}`).send({ name: 'Test IdP', metadataXml: idp.metadata(), ...fields }).expect(201);
  return res.body as SsoConnection;
}

/** SP-initiated: our login redirect, read by the IdP. */
async function startLogin(c = connection, tenant = acme, returnTo = '/contacts') {
  const res = await t.http.get(`/api/sso/${c.id}/login`).query({ returnTo }).set('Host', host(tenant)).expect(302);
  expect(res.headers.location.startsWith(idp.ssoUrl)).toBe(true);
  return idp.readRequest(res.headers.location, { entityId: c.serviceProvider.entityId, acsUrl: c.serviceProvider.acsUrl });
}

function postAcs(samlResponse: string, relayState = '/contacts', c = connection, tenant = acme, app = t): Promise<Response> {
  return app.http.post(`/api/sso/${c.id}/acs`).set('Host', host(tenant)).type('form').send({ SAMLResponse: samlResponse, RelayState: relayState });
}

const user = (local: string, attributes: TestSamlUser['attributes'] = {}): TestSamlUser => ({ email: `${local}@${domain}`, attributes });

/** A full SP-initiated round trip with a response the IdP builds (tags bend it). */
async function signInThroughIdp(who: TestSamlUser, tags: ResponseTags = {}): Promise<Response> {
  const request = await startLogin();
  return postAcs(await idp.respond(sp, who, request.id, tags), request.relayState ?? '/');
}

/** Same, but the signed XML is altered in transit. */
async function tampered(who: TestSamlUser, alter: (xml: string) => string): Promise<Response> {
  const request = await startLogin();
  const xml = await idp.respondXml(sp, who, request.id);
  return postAcs(Buffer.from(alter(xml)).toString('base64'));
}

function expectRefused(res: Response, code: string): void {
  expect({ status: res.status, location: res.headers.location }).toEqual({ status: 303, location: `/sso/error?code=${code}` });
  expect(refreshCookieOf(res)).toBeUndefined();
}

async function sessionOf(res: Response, tenant = acme): Promise<AuthTokenResponse> {
  const cookie = refreshCookieOf(res);
  expect(cookie).toBeDefined();
  return (await t.http.post('/api/auth/refresh').set('Host', host(tenant)).set('Cookie', cookie!).expect(200)).body as AuthTokenResponse;
}

async function auditOf(action: string): Promise<AuditEvent[]> {
  const res = await t.http.get('/api/audit-events').query({ action }).set('Host', host(acme)).set('Authorization', `Bearer ${adminToken}`).expect(200);
  return (res.body as Page<AuditEvent>).items;
}

const SIGNATURE = /<ds:Signature[\s\S]*?<\/ds:Signature>/g;
const RESPONSE_XPATH = "/*[local-name(.)='Response']";
const ASSERTION_XPATH = "//*[local-name(.)='Assertion']";
const digestValueOf = (signature: string) => /<ds:DigestValue>([^<]+)</.exec(signature)![1];

/** The SHA-256 digest a signer computes for an element (exclusive c14n, its own signature left out), as xml-crypto does. */
function digestOf(xml: string, xpath: string): string {
  const signer = new SignedXml({ privateKey: idp.keys.privateKey, canonicalizationAlgorithm: 'http://www.w3.org/2001/10/xml-exc-c14n#', signatureAlgorithm: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256' });
  signer.addReference({ xpath, transforms: ['http://www.w3.org/2000/09/xmldsig#enveloped-signature', 'http://www.w3.org/2001/10/xml-exc-c14n#'], digestAlgorithm: 'http://www.w3.org/2001/04/xmlenc#sha256' });
  signer.computeSignature(xml);
  return /<DigestValue>([^<]+)</.exec(signer.getSignatureXml())![1];
}

const userCount = async (email: string) => (await t.data.query<{ n: number }>('select count(*)::int as n from users where email = $1', [email])).rows[0].n;

beforeAll(async () => {
  t = await startTestApp();
  idp = await TestSamlIdp.create();
  acme = await t.data.aTenant();
  domain = `${acme.slug}.test`;
  await t.data.aDomain(acme, domain);
  adminToken = (await signIn(t, await t.data.aMember(acme, 'admin'))).accessToken;
  connection = await createConnection(acme, adminToken, {
    domains: [domain],
    attributeMapping: { firstName: 'givenName', lastName: 'sn', groups: 'groups' },
    groupRoles: [{ group: 'crm-admins', role: 'admin' }],
  });
  sp = { entityId: connection.serviceProvider.entityId, acsUrl: connection.serviceProvider.acsUrl };
});
afterAll(() => t.close());

describe('SSO sign-in (SP-initiated)', () => {
  it('finds the connection by the email domain on the login page', async () => {
    const found = (await t.http.get('/api/sso/discover').query({ email: `Jane@${domain.toUpperCase()}` }).set('Host', host(acme)).expect(200)).body as SsoDiscovery;
    expect(found).toEqual({ connectionId: connection.id, connectionName: 'Test IdP', loginUrl: `http://${acme.slug}.localhost:3000/api/sso/${connection.id}/login` });
    const none = await t.http.get('/api/sso/discover').query({ email: 'jane@elsewhere.test' }).set('Host', host(acme)).expect(404);
    expect(none.body.error.code).toBe('SSO_NOT_CONFIGURED');
  });

  it('sends an AuthnRequest for our ACS and entity ID, and keeps returnTo', async () => {
    const request = await startLogin(connection, acme, '/contacts?q=a');
    expect(request).toMatchObject({ relayState: '/contacts?q=a', acsUrl: sp.acsUrl, issuer: sp.entityId });
  });

  it('provisions a new person just in time, with the role of their group, and lands them on returnTo', async () => {
    const res = await signInThroughIdp(user('jane', { givenName: 'Jane', sn: 'Doe', groups: ['staff', 'crm-admins'] }));
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/contacts');
    const session = await sessionOf(res);
    expect(session).toMatchObject({ tenant: { id: acme.id }, role: 'admin', user: { email: `jane@${domain}`, displayName: 'Jane Doe', emailVerified: true } });
    expect((await auditOf('member.provisioned'))[0]).toMatchObject({ target: { label: `jane@${domain}` }, metadata: { role: 'admin', connection: { name: 'Test IdP' } } });
    expect((await auditOf('auth.sso_login_succeeded'))[0]).toMatchObject({ actor: { label: `jane@${domain}` } });
  });

  it('signs an existing person in again, bringing name and mapped role up to date', async () => {
    await signInThroughIdp(user('joe', { givenName: 'Joe', groups: ['crm-admins'] }));
    const again = await sessionOf(await signInThroughIdp(user('joe', { givenName: 'Joseph', sn: 'Bloggs', groups: ['staff'] })));
    expect(again).toMatchObject({ role: 'member', user: { displayName: 'Joseph Bloggs' } });
    expect(await userCount(`joe@${domain}`)).toBe(1);
    const memberships = await t.data.query('select 1 from memberships ms join users u on u.id = ms.user_id where u.email = $1', [`joe@${domain}`]);
    expect(memberships.rowCount).toBe(1);
  });

  it('keeps an owner an owner whatever the groups say', async () => {
    const owner = await t.data.aMember(acme, 'owner', { email: `boss@${domain}` });
    expect(await sessionOf(await signInThroughIdp({ email: owner.email, attributes: { groups: [] } }))).toMatchObject({ role: 'owner' });
  });

  it('links an existing account (a member elsewhere) instead of making a second one', async () => {
    const other = await t.data.aTenant();
    const existing = await t.data.aMember(other, 'member', { email: `kim@${domain}` });
    expect(await sessionOf(await signInThroughIdp({ email: existing.email }))).toMatchObject({ role: 'member', user: { id: existing.userId } });
  });

  it('refuses a returnTo on another origin before going to the IdP, and lands a foreign RelayState on /', async () => {
    for (const returnTo of ['https://evil.example/', '//evil.example/', '/\\evil.example']) {
      const res = await t.http.get(`/api/sso/${connection.id}/login`).query({ returnTo }).set('Host', host(acme)).expect(303);
      expect(res.headers.location).toBe('/sso/error?code=SSO_RETURN_TO_INVALID');
    }
    const request = await startLogin();
    const res = await postAcs(await idp.respond(sp, user('rita'), request.id), 'https://evil.example/steal');
    expect(res.headers.location).toBe('/');
  });

  it('says so when the connection is turned off', async () => {
    const off = await createConnection(acme, adminToken, { name: 'Off', enabled: false });
    const res = await t.http.get(`/api/sso/${off.id}/login`).set('Host', host(acme)).expect(303);
    expect(res.headers.location).toBe('/sso/error?code=SSO_CONNECTION_DISABLED');
  });

  it("passes on the IdP's own refusal", async () => {
    expectRefused(await signInThroughIdp(user('sam'), { StatusCode: 'urn:oasis:names:tc:SAML:2.0:status:Responder' }), 'SSO_IDP_ERROR');
  });

  it('records the technical reason of a refusal in the audit log', async () => {
    expectRefused(await signInThroughIdp(user('audited'), { Audience: 'https://someone-else.example/sp' }), 'SSO_RESPONSE_INVALID');
    const [failure] = await auditOf('auth.sso_login_failed');
    expect(failure.metadata).toMatchObject({ code: 'SSO_RESPONSE_INVALID', connectionId: connection.id, reason: expect.stringMatching(/audience/i) });
  });
});

describe('SSO sign-in while Redis is down', () => {
  it('answers "service unavailable" on the error page: never a sign-in without its request and replay checks', async () => {
    const request = await startLogin();
    const response = await idp.respond(sp, user('no-redis'), request.id);
    const broken = await startTestApp({ sameDataAs: t });
    broken.app.get<Redis>(REDIS).disconnect(); // this instance loses Redis (no offline queue: commands fail at once)
    try {
      expectRefused(await postAcs(response, '/', connection, acme, broken), 'UNHEALTHY');
      const start = await broken.http.get(`/api/sso/${connection.id}/login`).set('Host', host(acme)).expect(303);
      expect(start.headers.location).toBe('/sso/error?code=UNHEALTHY');
    } finally {
      await broken.close();
    }
    expect(await userCount(`no-redis@${domain}`)).toBe(0);
  });
});

describe('SSO attack corpus: refused, and nobody signed in', () => {
  it('an unsigned response and assertion', async () => {
    expectRefused(await tampered(user('a1'), (xml) => xml.replace(/<ds:Signature[\s\S]*?<\/ds:Signature>/g, '')), 'SSO_RESPONSE_INVALID');
  });

  it('a signature by another key, whose certificate rides along in KeyInfo', async () => {
    const attacker = await TestSamlIdp.create({ entityId: idp.entityId });
    const request = await startLogin();
    const res = await postAcs(await attacker.respond(sp, user('a2'), request.id));
    expect((await attacker.respondXml(sp, user('a2'), request.id))).toContain('<ds:X509Certificate>');
    expectRefused(res, 'SSO_RESPONSE_INVALID');
  });

  it('an attribute altered after signing', async () => {
    expectRefused(await tampered(user('a3', { groups: 'staff' }), (xml) => xml.replace('>staff<', '>crm-admins<')), 'SSO_RESPONSE_INVALID');
  });

  it('the NameID swapped for someone else after signing', async () => {
    expectRefused(await tampered(user('nobody'), (xml) => xml.replace(`nobody@${domain}`, `boss@${domain}`)), 'SSO_RESPONSE_INVALID');
  });

  it('signature wrapping: an extra unsigned assertion beside the signed one', async () => {
    expectRefused(
      await tampered(user('a4'), (xml) => {
        const assertion = /<saml:Assertion[\s\S]*<\/saml:Assertion>/.exec(xml)![0];
        const evil = assertion.replace(/<ds:Signature[\s\S]*?<\/ds:Signature>/, '').replace(/ID="[^"]+"/, 'ID="_evil"').replace(`a4@${domain}`, `boss@${domain}`);
        return xml.replace(assertion, evil + assertion);
      }),
      'SSO_RESPONSE_INVALID',
    );
  });

  it('signature wrapping: the signed assertion moved into an extension, an unsigned one in its place', async () => {
    expectRefused(
      await tampered(user('a5'), (xml) => {
        const assertion = /<saml:Assertion[\s\S]*<\/saml:Assertion>/.exec(xml)![0];
        const evil = assertion.replace(/<ds:Signature[\s\S]*?<\/ds:Signature>/, '').replace(`a5@${domain}`, `boss@${domain}`);
        return xml.replace(assertion, `<samlp:Extensions>${assertion}</samlp:Extensions>${evil}`);
      }),
      'SSO_RESPONSE_INVALID',
    );
  });

  it('a comment in the NameID (we read the whole signed value, not the part before the comment)', async () => {
    // Signed as jane.x@<domain>.evil.test; the comment would make a naive reader see jane.x@<domain>.
    const res = await tampered({ email: `jane.x@${domain}.evil.test` }, (xml) => xml.replace(`jane.x@${domain}.evil.test`, `jane.x@${domain}<!---->.evil.test`));
    expectRefused(res, 'SSO_DOMAIN_MISMATCH');
    expect(await userCount(`jane.x@${domain}`)).toBe(0);
  });

  it('multiple root elements', async () => {
    expectRefused(await tampered(user('a6'), (xml) => xml + xml), 'SSO_RESPONSE_INVALID');
  });

  it('two signed assertions', async () => {
    const request = await startLogin();
    const first = await idp.respondXml(sp, user('a7'), request.id);
    const second = /<saml:Assertion[\s\S]*<\/saml:Assertion>/.exec(await idp.respondXml(sp, { email: `boss@${domain}` }, request.id))![0];
    expectRefused(await postAcs(Buffer.from(first.replace('</samlp:Response>', `${second}</samlp:Response>`)).toString('base64')), 'SSO_RESPONSE_INVALID');
  });

  it('a comment inside a DigestValue hiding the digest of an altered assertion (CVE-2025-29775)', async () => {
    const request = await startLogin();
    const genuine = await idp.respondXml(sp, user('a8'), request.id);
    const [responseSignature, assertionSignature] = genuine.match(SIGNATURE)!;
    // The helper reproduces the IdP's own digests of the untouched response, so the forged ones below are exact.
    expect(digestOf(genuine.replace(assertionSignature, ''), ASSERTION_XPATH)).toBe(digestValueOf(assertionSignature));
    expect(digestOf(genuine.replace(responseSignature, ''), RESPONSE_XPATH)).toBe(digestValueOf(responseSignature));

    // An attacker swaps the NameID and puts the digest of the altered content in a comment before each
    // original DigestValue: canonical SignedInfo (and so SignatureValue) is unchanged, and a parser that
    // reads the comment as the digest would accept the altered assertion.
    let forged = genuine.replace(`a8@${domain}`, `boss@${domain}`);
    const alteredAssertion = digestOf(forged.replace(assertionSignature, ''), ASSERTION_XPATH);
    forged = forged.replace(`<ds:DigestValue>${digestValueOf(assertionSignature)}`, `<ds:DigestValue><!--${alteredAssertion}-->${digestValueOf(assertionSignature)}`);
    const alteredResponse = digestOf(forged.replace(responseSignature, ''), RESPONSE_XPATH);
    forged = forged.replace(`<ds:DigestValue>${digestValueOf(responseSignature)}`, `<ds:DigestValue><!--${alteredResponse}-->${digestValueOf(responseSignature)}`);
    expect(forged).toContain(`<!--${alteredAssertion}-->`);
    expectRefused(await postAcs(Buffer.from(forged).toString('base64')), 'SSO_RESPONSE_INVALID');
    expect(await userCount(`a8@${domain}`)).toBe(0);
  });

  it('a second Reference in SignedInfo', async () => {
    expectRefused(
      await tampered(user('a9'), (xml) => xml.replace(/(<ds:SignedInfo>[\s\S]*?)(<ds:Reference[\s\S]*?<\/ds:Reference>)/, '$1$2$2')),
      'SSO_RESPONSE_INVALID',
    );
  });

  it.each([
    ['audience', { Audience: 'https://another-sp.example/metadata' }],
    ['SubjectConfirmation Recipient', { SubjectRecipient: 'https://another-sp.example/acs' }],
    ['Response Destination', { Destination: 'https://another-sp.example/acs' }],
    ['Issuer', { Issuer: 'https://another-idp.example/metadata' }],
  ] as const)('a wrong %s', async (_name, tags) => {
    expectRefused(await signInThroughIdp(user('wrong'), tags), 'SSO_RESPONSE_INVALID');
  });

  it('an expired assertion', async () => {
    const past = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();
    expectRefused(await signInThroughIdp(user('late'), { IssueInstant: past(10), ConditionsNotBefore: past(10), ConditionsNotOnOrAfter: past(5), SubjectConfirmationDataNotOnOrAfter: past(5) }), 'SSO_RESPONSE_EXPIRED');
  });

  it('an assertion not valid yet', async () => {
    const future = (minutes: number) => new Date(Date.now() + minutes * 60_000).toISOString();
    expectRefused(await signInThroughIdp(user('early'), { ConditionsNotBefore: future(5), ConditionsNotOnOrAfter: future(10) }), 'SSO_RESPONSE_EXPIRED');
  });

  it('a replayed response', async () => {
    const request = await startLogin();
    const response = await idp.respond(sp, user('replay'), request.id);
    expect((await postAcs(response)).status).toBe(303);
    expectRefused(await postAcs(response), 'SSO_REQUEST_UNKNOWN');
  });

  it('an unknown InResponseTo, or one issued for another connection', async () => {
    expectRefused(await postAcs(await idp.respond(sp, user('u1'), '_never-issued')), 'SSO_REQUEST_UNKNOWN');
    const other = await createConnection(acme, adminToken, { name: 'Other' });
    const foreign = await startLogin(other);
    expectRefused(await postAcs(await idp.respond(sp, user('u2'), foreign.id)), 'SSO_REQUEST_UNKNOWN');
  });

  it('a missing InResponseTo (IdP-initiated) while IdP-initiated sign-in is off', async () => {
    expectRefused(await postAcs(await idp.respond(sp, user('idp-init'), null)), 'SSO_IDP_INITIATED_DISABLED');
  });

  it('DOCTYPE and entity declarations', async () => {
    expectRefused(await tampered(user('a10'), (xml) => `<!DOCTYPE r [<!ENTITY e "boss@${domain}">]>${xml}`), 'SSO_RESPONSE_INVALID');
  });

  it('an oversized payload, and a deflate bomb', async () => {
    const request = await startLogin();
    const padded = (await idp.respondXml(sp, user('big'), request.id)).replace('</samlp:Response>', `<!--${'x'.repeat(200_000)}--></samlp:Response>`);
    expectRefused(await postAcs(Buffer.from(padded).toString('base64')), 'SSO_RESPONSE_INVALID');
    const huge = await t.http.post(`/api/sso/${connection.id}/acs`).set('Host', host(acme)).type('form').send(`SAMLResponse=${'A'.repeat(600_000)}`);
    expect(huge.status).toBe(413);
    const bomb = deflateSync(Buffer.from(`SAMLResponse=${'A'.repeat(20_000_000)}`));
    const inflated = await t.http.post(`/api/sso/${connection.id}/acs`).set('Host', host(acme)).set('Content-Type', 'application/x-www-form-urlencoded').set('Content-Encoding', 'deflate').send(bomb);
    // Inflating stops at the 512 KB body limit: refused as a client error, never a crash or a 20 MB string.
    expect(inflated.status >= 400 && inflated.status < 500).toBe(true);
    expect(refreshCookieOf(inflated)).toBeUndefined();
  });

  it("tenant A's valid response posted to tenant B's ACS (same IdP)", async () => {
    const globex = await t.data.aTenant();
    await t.data.aDomain(globex, `${globex.slug}.test`);
    const globexAdmin = (await signIn(t, await t.data.aMember(globex, 'admin'))).accessToken;
    const theirs = await createConnection(globex, globexAdmin, { domains: [`${globex.slug}.test`], allowIdpInitiated: true });
    const request = await startLogin();
    const response = await idp.respond(sp, { email: `jane@${domain}` }, request.id);
    expectRefused(await postAcs(response, '/', theirs, globex), 'SSO_REQUEST_UNKNOWN');
    const idpInitiated = await idp.respond(sp, { email: `jane@${globex.slug}.test` }, null);
    expectRefused(await postAcs(idpInitiated, '/', theirs, globex), 'SSO_RESPONSE_INVALID');
  });

  it('an email on a domain the tenant has not verified, or that this connection does not serve', async () => {
    expectRefused(await signInThroughIdp({ email: 'mallory@evil.test' }), 'SSO_DOMAIN_MISMATCH');
    const unverified = `pending-${acme.slug}.test`;
    await t.data.aDomain(acme, unverified, false);
    expectRefused(await signInThroughIdp({ email: `mallory@${unverified}` }), 'SSO_DOMAIN_MISMATCH');
    expect(await userCount('mallory@evil.test')).toBe(0);
  });

  it('an operator (platform) account, even on a verified domain', async () => {
    const root = await t.data.aSuperAdmin();
    await t.data.query('update users set email = $1 where id = $2', [`root@${domain}`, root.userId]);
    expectRefused(await signInThroughIdp({ email: `root@${domain}` }), 'SSO_PLATFORM_ACCOUNT');
  });
});

describe('IdP-initiated sign-in (when a tenant allows it)', () => {
  let open: SsoConnection;
  let openSp: TestSp;
  let openDomain: string;
  beforeAll(async () => {
    const tenant = await t.data.aTenant();
    openDomain = `${tenant.slug}.test`;
    await t.data.aDomain(tenant, openDomain);
    const admin = (await signIn(t, await t.data.aMember(tenant, 'admin'))).accessToken;
    open = await createConnection(tenant, admin, { domains: [openDomain], allowIdpInitiated: true });
    openSp = { entityId: open.serviceProvider.entityId, acsUrl: open.serviceProvider.acsUrl };
    Object.assign(open, { tenant });
  });
  const tenantOf = (c: SsoConnection) => (c as SsoConnection & { tenant: TestTenant }).tenant;

  it('signs in without a request of ours, once: a replay fails on this and on a second API instance', async () => {
    const response = await idp.respond(openSp, { email: `ida@${openDomain}` }, null);
    const first = await postAcs(response, '/', open, tenantOf(open));
    expect(first.headers.location).toBe('/');
    expect(await sessionOf(first, tenantOf(open))).toMatchObject({ user: { email: `ida@${openDomain}` } });
    expectRefused(await postAcs(response, '/', open, tenantOf(open)), 'SSO_REQUEST_UNKNOWN');
    const second = await startTestApp({ sameDataAs: t });
    try {
      expectRefused(await postAcs(response, '/', open, tenantOf(open), second), 'SSO_REQUEST_UNKNOWN');
    } finally {
      await second.close();
    }
  });

  it('still checks audience and recipient', async () => {
    expectRefused(await postAcs(await idp.respond(openSp, { email: `ida@${openDomain}` }, null, { Audience: 'https://other.example/sp' }), '/', open, tenantOf(open)), 'SSO_RESPONSE_INVALID');
    expectRefused(await postAcs(await idp.respond(openSp, { email: `ida@${openDomain}` }, null, { SubjectRecipient: 'https://other.example/acs' }), '/', open, tenantOf(open)), 'SSO_RESPONSE_INVALID');
  });
});

describe('seats on just-in-time sign-in', () => {
  it('lets exactly the free seats through when new people sign in at once, and keeps nothing of the refused', async () => {
    const tenant = await t.data.aTenant({ plan: 'free' });
    // The free plan has no SSO: the operator turned it on for this tenant.
    await t.data.query(`update tenants set feature_overrides = '{"sso": {"enabled": true, "config": null}}' where id = $1`, [tenant.id]);
    const rushDomain = `${tenant.slug}.test`;
    await t.data.aDomain(tenant, rushDomain);
    const admin = (await signIn(t, await t.data.aMember(tenant, 'admin'))).accessToken;
    await t.data.aMember(tenant, 'member');
    await t.data.aMember(tenant, 'member'); // 3 of the 5 seats
    const rush = await createConnection(tenant, admin, { domains: [rushDomain] });
    const rushSp = { entityId: rush.serviceProvider.entityId, acsUrl: rush.serviceProvider.acsUrl };
    const requests = await Promise.all(Array.from({ length: 8 }, () => startLogin(rush, tenant, '/')));
    const responses = await Promise.all(requests.map((r, i) => idp.respond(rushSp, { email: `rush-${i}@${rushDomain}` }, r.id)));
    const results = await Promise.all(responses.map((response) => postAcs(response, '/', rush, tenant)));

    const admitted = results.filter((r) => r.headers.location === '/');
    expect(admitted).toHaveLength(2);
    for (const refused of results.filter((r) => r.headers.location !== '/')) expectRefused(refused, 'SEAT_LIMIT_REACHED');
    const members = await t.data.query<{ n: number }>('select count(*)::int as n from memberships where tenant_id = $1', [tenant.id]);
    expect(members.rows[0].n).toBe(5);
    const accounts = await t.data.query<{ n: number }>(`select count(*)::int as n from users where email like $1`, [`rush-%@${rushDomain}`]);
    expect(accounts.rows[0].n).toBe(2);
  });
});

describe('SSO-required domains', () => {
  const patchDomain = (id: string, body: Record<string, unknown>) =>
    t.http.patch(`/api/domains/${id}`).set('Host', host(acme)).set('Authorization', `Bearer ${adminToken}`).send(body);
  let domainId: string;
  beforeAll(async () => {
    domainId = (await t.data.query<{ id: string }>('select id from verified_domains where tenant_id = $1 and domain = $2', [acme.id, domain])).rows[0].id;
  });
  afterAll(() => patchDomain(domainId, { ssoRequired: false }).expect(200));
  const requireSso = () => patchDomain(domainId, { ssoRequired: true }).expect(200);

  it('can only be required where an enabled connection serves the domain', async () => {
    const lonely = await t.data.aDomain(acme, `lonely-${acme.slug}.test`);
    expect((await patchDomain(lonely, { ssoRequired: true }).expect(404)).body.error.code).toBe('SSO_NOT_CONFIGURED');
    expect((await patchDomain(domainId, { ssoRequired: true }).expect(200)).body).toMatchObject({ domain, ssoRequired: true, autoJoin: false });
  });

  it('refuses password sign-in of its members with SSO_REQUIRED and where to go instead; owners keep their password', async () => {
    await requireSso();
    const member = await t.data.aMember(acme, 'member');
    const res = await t.http.post('/api/auth/login').set('Host', host(acme)).send({ email: member.email, password: member.password }).expect(403);
    expect(res.body.error).toMatchObject({ code: 'SSO_REQUIRED', details: { loginUrl: `http://${acme.slug}.localhost:3000/api/sso/${connection.id}/login` } });
    expect(refreshCookieOf(res)).toBeUndefined();
    const owner = await t.data.aMember(acme, 'owner');
    await t.http.post('/api/auth/login').set('Host', host(acme)).send({ email: owner.email, password: owner.password }).expect(200);
  });

  it('refuses invitations for its emails (their IdP lets them in)', async () => {
    await requireSso();
    const res = await t.http.post('/api/invitations').set('Host', host(acme)).set('Authorization', `Bearer ${adminToken}`).send({ email: `newbie@${domain}`, role: 'member' }).expect(403);
    expect(res.body.error.code).toBe('SSO_REQUIRED');
    await t.http.post('/api/invitations').set('Host', host(acme)).set('Authorization', `Bearer ${adminToken}`).send({ email: 'guest@elsewhere.test', role: 'member' }).expect(201);
  });

  it('stops applying when no enabled connection serves the domain any more (nobody is locked out)', async () => {
    await requireSso();
    await t.http.patch(`/api/sso/connections/${connection.id}`).set('Host', host(acme)).set('Authorization', `Bearer ${adminToken}`).send({ enabled: false }).expect(200);
    try {
      const member = await t.data.aMember(acme, 'member');
      await t.http.post('/api/auth/login').set('Host', host(acme)).send({ email: member.email, password: member.password }).expect(200);
    } finally {
      await t.http.patch(`/api/sso/connections/${connection.id}`).set('Host', host(acme)).set('Authorization', `Bearer ${adminToken}`).send({ enabled: true }).expect(200);
    }
  });
});
