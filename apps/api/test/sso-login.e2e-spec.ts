import { deflateRawSync, deflateSync } from 'node:zlib';
import type { AuditEvent, AuthTokenResponse, Page, SsoConnection, SsoDiscovery } from '@tenantry/contracts';
import type { Response } from 'supertest';
import { SignedXml } from 'xml-crypto';
import { REDIS } from '@tenantry/api-core';
import type { Redis } from 'ioredis';
import type { TestTenant } from '@tenantry/testing/factories';
import { type ResponseTags, TestSamlIdp, type TestSamlUser, type TestSp } from '../../../tools/demo/saml-idp.js';
import { refreshCookieOf, signIn } from './support/sessions.js';
import { startTestApp, type TestApp } from './support/test-app.js';

let t: TestApp;
let idp: TestSamlIdp;
let acme: TestTenant;
let adminToken: string;
let ownerToken: string;
let connection: SsoConnection;
let sp: TestSp;
let domain: string;

const host = (tenant: TestTenant) => `${tenant.slug}.localhost`;
// Every request of this file comes from one address: its limit is out of the way (sso-throttle.e2e-spec.ts tests it).
const env = { SSO_MAX_REQUESTS_PER_IP: '100000' };

async function createConnection(
  tenant: TestTenant,
  token: string,
  fields: Record<string, unknown>,
): Promise<SsoConnection> {
  const res = await t.http
    .post('/api/sso/connections')
    .set('Host', host(tenant))
    .set('Authorization', `Bearer ${token}`)
    .send({ name: 'Test IdP', metadataXml: idp.metadata(), ...fields })
    .expect(201);
  return res.body as SsoConnection;
}

/** SP-initiated: our login redirect, read by the IdP. */
async function startLogin(c = connection, tenant = acme, returnTo = '/contacts') {
  const res = await t.http.get(`/api/sso/${c.id}/login`).query({ returnTo }).set('Host', host(tenant)).expect(302);
  expect(res.headers.location.startsWith(idp.ssoUrl)).toBe(true);
  return idp.readRequest(res.headers.location, {
    entityId: c.serviceProvider.entityId,
    acsUrl: c.serviceProvider.acsUrl,
  });
}

/** Each ACS post has a User-Agent of its own, so a test finds the audit row of exactly that post. */
const agents = new WeakMap<Response, string>();
let posts = 0;
async function postAcs(
  samlResponse: string,
  relayState = '/contacts',
  c = connection,
  tenant = acme,
  app = t,
): Promise<Response> {
  const agent = `sso-test-${++posts}`;
  const res = await app.http
    .post(`/api/sso/${c.id}/acs`)
    .set('Host', host(tenant))
    .set('User-Agent', agent)
    .type('form')
    .send({ SAMLResponse: samlResponse, RelayState: relayState });
  agents.set(res, agent);
  return res;
}

const user = (local: string, attributes: TestSamlUser['attributes'] = {}): TestSamlUser => ({
  email: `${local}@${domain}`,
  attributes,
});

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

/** Nobody signed in, the person sent to the error page with `code`; with `reason`, the audit row of this very post names it (so the right check refused it). */
async function expectRefused(res: Response, code: string, reason?: string): Promise<void> {
  expect({ status: res.status, location: res.headers.location }).toEqual({
    status: 303,
    location: `/sso/error?code=${code}`,
  });
  expect(refreshCookieOf(res)).toBeUndefined();
  if (reason === undefined) return;
  const rows = await t.data.query<{ metadata: { code: string; reason: string } }>(
    `select metadata from audit_events where action = 'auth.sso_login_failed' and user_agent = $1`,
    [agents.get(res)],
  );
  expect(rows.rows.map((r) => r.metadata)).toEqual([expect.objectContaining({ code, reason })]);
}

async function sessionOf(res: Response, tenant = acme): Promise<AuthTokenResponse> {
  const cookie = refreshCookieOf(res);
  expect(cookie).toBeDefined();
  return (await t.http.post('/api/auth/refresh').set('Host', host(tenant)).set('Cookie', cookie!).expect(200))
    .body as AuthTokenResponse;
}

/** An owner, or a member of other tenants, confirms once (the mailed link) that the connection may sign them in. */
async function confirmLink(email: string): Promise<void> {
  await expectRefused(await signInThroughIdp({ email }), 'SSO_LINK_CONFIRMATION_REQUIRED');
  const link = (await t.mailbox.waitFor(email, /^Confirm signing in/)).links.find((l) =>
    l.includes('/sso/confirm-link'),
  )!;
  await t.http
    .post('/api/sso/link/confirm')
    .set('Host', host(acme))
    .send({ token: new URL(link).hash.slice('#token='.length) })
    .expect(200);
}

async function auditOf(action: string): Promise<AuditEvent[]> {
  const res = await t.http
    .get('/api/audit-events')
    .query({ action })
    .set('Host', host(acme))
    .set('Authorization', `Bearer ${adminToken}`)
    .expect(200);
  return (res.body as Page<AuditEvent>).items;
}

const SIGNATURE = /<ds:Signature[\s\S]*?<\/ds:Signature>/g;
const RESPONSE_XPATH = "/*[local-name(.)='Response']";
const ASSERTION_XPATH = "//*[local-name(.)='Assertion']";
const digestValueOf = (signature: string) => /<ds:DigestValue>([^<]+)</.exec(signature)![1];

/** The SHA-256 digest a signer computes for an element (exclusive c14n, its own signature left out), as xml-crypto does. */
function digestOf(xml: string, xpath: string): string {
  const signer = new SignedXml({
    privateKey: idp.keys.privateKey,
    canonicalizationAlgorithm: 'http://www.w3.org/2001/10/xml-exc-c14n#',
    signatureAlgorithm: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
  });
  signer.addReference({
    xpath,
    transforms: ['http://www.w3.org/2000/09/xmldsig#enveloped-signature', 'http://www.w3.org/2001/10/xml-exc-c14n#'],
    digestAlgorithm: 'http://www.w3.org/2001/04/xmlenc#sha256',
  });
  signer.computeSignature(xml);
  return /<DigestValue>([^<]+)</.exec(signer.getSignatureXml())![1];
}

const userCount = async (email: string) =>
  (await t.data.query<{ n: number }>('select count(*)::int as n from users where email = $1', [email])).rows[0].n;

beforeAll(async () => {
  t = await startTestApp({ env });
  idp = await TestSamlIdp.create();
  acme = await t.data.aTenant();
  domain = `${acme.slug}.test`;
  await t.data.aDomain(acme, domain);
  adminToken = (await signIn(t, await t.data.aMember(acme, 'admin'))).accessToken;
  ownerToken = (await signIn(t, await t.data.aMember(acme, 'owner'))).accessToken;
  connection = await createConnection(acme, ownerToken, {
    domains: [domain],
    attributeMapping: { firstName: 'givenName', lastName: 'sn', groups: 'groups' },
    groupRoles: [{ group: 'crm-admins', role: 'admin' }],
  });
  sp = { entityId: connection.serviceProvider.entityId, acsUrl: connection.serviceProvider.acsUrl };
});
afterAll(() => t.close());

describe('SSO sign-in (SP-initiated)', () => {
  it('finds the connection by the email domain on the login page', async () => {
    const found = (
      await t.http
        .get('/api/sso/discover')
        .query({ email: `Jane@${domain.toUpperCase()}` })
        .set('Host', host(acme))
        .expect(200)
    ).body as SsoDiscovery;
    expect(found).toEqual({
      connectionId: connection.id,
      connectionName: 'Test IdP',
      loginUrl: `http://${acme.slug}.localhost:3000/api/sso/${connection.id}/login`,
    });
    const none = await t.http
      .get('/api/sso/discover')
      .query({ email: 'jane@elsewhere.test' })
      .set('Host', host(acme))
      .expect(404);
    expect(none.body.error.code).toBe('SSO_NOT_CONFIGURED');
  });

  it('reads the email on the login page as sign-in does: fullwidth letters fold, invisible characters are refused', async () => {
    const fullwidth = [...domain]
      .map((c) => (/[a-z0-9]/.test(c) ? String.fromCodePoint(c.codePointAt(0)! + 0xfee0) : c))
      .join('');
    const found = (
      await t.http
        .get('/api/sso/discover')
        .query({ email: `jane@${fullwidth}` })
        .set('Host', host(acme))
        .expect(200)
    ).body as SsoDiscovery;
    expect(found.connectionId).toBe(connection.id);
    const hidden = await t.http
      .get('/api/sso/discover')
      .query({ email: `ja\u200bne@${domain}` })
      .set('Host', host(acme))
      .expect(400);
    expect(hidden.body.error.code).toBe('VALIDATION_FAILED');
  });

  it('sends an AuthnRequest for our ACS and entity ID, and keeps returnTo to itself (no RelayState)', async () => {
    const request = await startLogin(connection, acme, '/contacts?q=a');
    expect(request).toMatchObject({ relayState: null, acsUrl: sp.acsUrl, issuer: sp.entityId });
    const res = await postAcs(await idp.respond(sp, user('kept'), request.id), '');
    expect(res.headers.location).toBe('/contacts?q=a');
    await sessionOf(res);
  });

  it('provisions a new person just in time, with the role of their group, and lands them on returnTo', async () => {
    const res = await signInThroughIdp(user('jane', { givenName: 'Jane', sn: 'Doe', groups: ['staff', 'crm-admins'] }));
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/contacts');
    const session = await sessionOf(res);
    expect(session).toMatchObject({
      tenant: { id: acme.id },
      role: 'admin',
      user: { email: `jane@${domain}`, displayName: 'Jane Doe', emailVerified: true },
    });
    expect((await auditOf('member.provisioned'))[0]).toMatchObject({
      target: { label: `jane@${domain}` },
      metadata: { role: 'admin', connection: { name: 'Test IdP' } },
    });
    expect((await auditOf('auth.sso_login_succeeded'))[0]).toMatchObject({ actor: { label: `jane@${domain}` } });
  });

  it('signs an existing person in again, bringing name and mapped role up to date', async () => {
    expect(
      await sessionOf(await signInThroughIdp(user('joe', { givenName: 'Joe', groups: ['crm-admins'] }))),
    ).toMatchObject({ role: 'admin', user: { displayName: 'Joe' } });
    const again = await sessionOf(
      await signInThroughIdp(user('joe', { givenName: 'Joseph', sn: 'Bloggs', groups: ['staff'] })),
    );
    expect(again).toMatchObject({ role: 'member', user: { displayName: 'Joseph Bloggs' } });
    expect(await userCount(`joe@${domain}`)).toBe(1);
    const memberships = await t.data.query(
      'select 1 from memberships ms join users u on u.id = ms.user_id where u.email = $1',
      [`joe@${domain}`],
    );
    expect(memberships.rowCount).toBe(1);
  });

  it('keeps an owner an owner whatever the groups say', async () => {
    const owner = await t.data.aMember(acme, 'owner', { email: `boss@${domain}` });
    await confirmLink(owner.email);
    expect(await sessionOf(await signInThroughIdp({ email: owner.email, attributes: { groups: [] } }))).toMatchObject({
      role: 'owner',
    });
  });

  it('links an existing account (a member elsewhere, once they confirm) instead of making a second one', async () => {
    const other = await t.data.aTenant();
    const existing = await t.data.aMember(other, 'member', { email: `kim@${domain}` });
    await confirmLink(existing.email);
    expect(await sessionOf(await signInThroughIdp({ email: existing.email }))).toMatchObject({
      role: 'member',
      user: { id: existing.userId },
    });
  });

  it('refuses a returnTo that is, or normalizes to, another origin before going to the IdP', async () => {
    const returnTos = [
      'https://evil.example/',
      '//evil.example/',
      '/\\evil.example',
      '/..//evil.test',
      '/.//evil.test',
      '/%2e%2e//evil.test',
      '/%2F%2Fevil.test',
      '/\t/evil.test',
      '/\n/evil.test',
      'javascript:alert(1)',
    ];
    for (const returnTo of returnTos) {
      const res = await t.http
        .get(`/api/sso/${connection.id}/login`)
        .query({ returnTo })
        .set('Host', host(acme))
        .expect(303);
      expect({ returnTo, location: res.headers.location }).toEqual({
        returnTo,
        location: '/sso/error?code=SSO_RETURN_TO_INVALID',
      });
    }
  });

  it('ignores the posted RelayState: the browser lands where the sign-in started, or on / when the IdP started it', async () => {
    for (const relayState of [
      '/..//evil.test',
      '//evil.test',
      '/\\evil.test',
      'https://evil.example/steal',
      '/%2F%2Fevil',
      '/settings',
    ]) {
      const request = await startLogin(connection, acme, '/contacts');
      const res = await postAcs(await idp.respond(sp, user('rita'), request.id), relayState);
      expect({ relayState, location: res.headers.location }).toEqual({ relayState, location: '/contacts' });
      await sessionOf(res);
    }
  });

  it('says so when the connection is turned off', async () => {
    const off = await createConnection(acme, ownerToken, { name: 'Off', enabled: false });
    const res = await t.http.get(`/api/sso/${off.id}/login`).set('Host', host(acme)).expect(303);
    expect(res.headers.location).toBe('/sso/error?code=SSO_CONNECTION_DISABLED');
  });

  it("passes on the IdP's own refusal", async () => {
    await expectRefused(
      await signInThroughIdp(user('sam'), { StatusCode: 'urn:oasis:names:tc:SAML:2.0:status:Responder' }),
      'SSO_IDP_ERROR',
      'idp_error',
    );
  });

  it('records the reason of a refusal in the audit log, as a stable code and never the IdP text', async () => {
    await expectRefused(
      await signInThroughIdp(user('audited'), { Audience: 'https://someone-else.example/sp' }),
      'SSO_RESPONSE_INVALID',
      'audience_mismatch',
    );
    const [failure] = await auditOf('auth.sso_login_failed');
    expect(failure.metadata).toEqual({
      code: 'SSO_RESPONSE_INVALID',
      connection: 'Test IdP',
      connectionId: connection.id,
      reason: 'audience_mismatch',
    });
  });
});

describe('SSO sign-in while Redis is down', () => {
  it('answers "service unavailable" on the error page: never a sign-in without its request and replay checks', async () => {
    const request = await startLogin();
    const response = await idp.respond(sp, user('no-redis'), request.id);
    const broken = await startTestApp({ sameDataAs: t, env });
    broken.app.get<Redis>(REDIS).disconnect(); // this instance loses Redis (no offline queue: commands fail at once)
    try {
      await expectRefused(await postAcs(response, '/', connection, acme, broken), 'UNHEALTHY');
      const start = await broken.http.get(`/api/sso/${connection.id}/login`).set('Host', host(acme)).expect(303);
      expect(start.headers.location).toBe('/sso/error?code=UNHEALTHY');
    } finally {
      await broken.close();
    }
    expect(await userCount(`no-redis@${domain}`)).toBe(0);
  });
});

describe('SSO attack corpus: refused by the check meant for it, and nobody signed in', () => {
  it('an unsigned response and assertion', async () => {
    await expectRefused(
      await tampered(user('a1'), (xml) => xml.replace(SIGNATURE, '')),
      'SSO_RESPONSE_INVALID',
      'signature_invalid',
    );
  });

  it('a signature by another key, whose certificate rides along in KeyInfo', async () => {
    const attacker = await TestSamlIdp.create({ entityId: idp.entityId });
    const request = await startLogin();
    const res = await postAcs(await attacker.respond(sp, user('a2'), request.id));
    expect(await attacker.respondXml(sp, user('a2'), request.id)).toContain('<ds:X509Certificate>');
    await expectRefused(res, 'SSO_RESPONSE_INVALID', 'signature_invalid');
  });

  it('a response signed by the right key with RSA-SHA1 and SHA-1 digests', async () => {
    const outdated = await TestSamlIdp.create({
      entityId: idp.entityId,
      keys: idp.keys,
      signatureAlgorithm: 'rsa-sha1',
    });
    const request = await startLogin();
    const xml = await outdated.respondXml(sp, user('sha1'), request.id);
    expect(xml).toContain('xmldsig#rsa-sha1');
    expect(xml).toContain('xmldsig#sha1');
    await expectRefused(
      await postAcs(Buffer.from(xml).toString('base64')),
      'SSO_RESPONSE_INVALID',
      'signature_weak_algorithm',
    );
    expect(await userCount(`sha1@${domain}`)).toBe(0);
  });

  it('an attribute altered after signing', async () => {
    await expectRefused(
      await tampered(user('a3', { groups: 'staff' }), (xml) => xml.replace('>staff<', '>crm-admins<')),
      'SSO_RESPONSE_INVALID',
      'signature_invalid',
    );
  });

  it('the NameID swapped for someone else after signing', async () => {
    await expectRefused(
      await tampered(user('nobody'), (xml) => xml.replace(`nobody@${domain}`, `boss@${domain}`)),
      'SSO_RESPONSE_INVALID',
      'signature_invalid',
    );
  });

  // The Response signature covers everything: assertion-level wrapping already breaks it.
  it('signature wrapping: an extra unsigned assertion beside the signed one', async () => {
    await expectRefused(
      await tampered(user('a4'), (xml) => {
        const assertion = /<saml:Assertion[\s\S]*<\/saml:Assertion>/.exec(xml)![0];
        const evil = assertion
          .replace(/<ds:Signature[\s\S]*?<\/ds:Signature>/, '')
          .replace(/ID="[^"]+"/, 'ID="_evil"')
          .replace(`a4@${domain}`, `boss@${domain}`);
        return xml.replace(assertion, evil + assertion);
      }),
      'SSO_RESPONSE_INVALID',
      'signature_invalid',
    );
  });

  it('signature wrapping: the signed assertion moved into an extension, an unsigned one in its place', async () => {
    await expectRefused(
      await tampered(user('a5'), (xml) => {
        const assertion = /<saml:Assertion[\s\S]*<\/saml:Assertion>/.exec(xml)![0];
        const evil = assertion
          .replace(/<ds:Signature[\s\S]*?<\/ds:Signature>/, '')
          .replace(`a5@${domain}`, `boss@${domain}`);
        return xml.replace(assertion, `<samlp:Extensions>${assertion}</samlp:Extensions>${evil}`);
      }),
      'SSO_RESPONSE_INVALID',
      'signature_invalid',
    );
  });

  it('signature wrapping: the signed Response moved into an extension of a forged one that carries its signature', async () => {
    await expectRefused(
      await tampered(user('a5b'), (genuine) => {
        const forged = genuine
          .replace(`a5b@${domain}`, `boss@${domain}`)
          .replace(/(<samlp:Response[^>]*?) ID="[^"]+"/, '$1 ID="_forged"');
        const end = forged.lastIndexOf('</samlp:Response>');
        return `${forged.slice(0, end)}<samlp:Extensions>${genuine.replace(/^<\?xml[^>]*\?>/, '')}</samlp:Extensions>${forged.slice(end)}`;
      }),
      'SSO_RESPONSE_INVALID',
      'wrapping',
    );
  });

  it('a comment in the NameID (we read the whole signed value, not the part before the comment)', async () => {
    // Signed as jane.x@<domain>.evil.test; the comment would make a naive reader see jane.x@<domain>.
    const res = await tampered({ email: `jane.x@${domain}.evil.test` }, (xml) =>
      xml.replace(`jane.x@${domain}.evil.test`, `jane.x@${domain}<!---->.evil.test`),
    );
    await expectRefused(res, 'SSO_DOMAIN_MISMATCH', 'domain_not_served');
    expect(await userCount(`jane.x@${domain}`)).toBe(0);
  });

  it('multiple root elements', async () => {
    await expectRefused(await tampered(user('a6'), (xml) => xml + xml), 'SSO_RESPONSE_INVALID', 'malformed');
  });

  it('two signed assertions', async () => {
    const request = await startLogin();
    const first = await idp.respondXml(sp, user('a7'), request.id);
    const second = /<saml:Assertion[\s\S]*<\/saml:Assertion>/.exec(
      await idp.respondXml(sp, { email: `boss@${domain}` }, request.id),
    )![0];
    await expectRefused(
      await postAcs(Buffer.from(first.replace('</samlp:Response>', `${second}</samlp:Response>`)).toString('base64')),
      'SSO_RESPONSE_INVALID',
      'signature_invalid',
    );
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
    forged = forged.replace(
      `<ds:DigestValue>${digestValueOf(assertionSignature)}`,
      `<ds:DigestValue><!--${alteredAssertion}-->${digestValueOf(assertionSignature)}`,
    );
    const alteredResponse = digestOf(forged.replace(responseSignature, ''), RESPONSE_XPATH);
    forged = forged.replace(
      `<ds:DigestValue>${digestValueOf(responseSignature)}`,
      `<ds:DigestValue><!--${alteredResponse}-->${digestValueOf(responseSignature)}`,
    );
    expect(forged).toContain(`<!--${alteredAssertion}-->`);
    await expectRefused(
      await postAcs(Buffer.from(forged).toString('base64')),
      'SSO_RESPONSE_INVALID',
      'signature_invalid',
    );
    expect(await userCount(`a8@${domain}`)).toBe(0);
  });

  it('a second Reference in SignedInfo', async () => {
    await expectRefused(
      await tampered(user('a9'), (xml) =>
        xml.replace(/(<ds:SignedInfo>[\s\S]*?)(<ds:Reference[\s\S]*?<\/ds:Reference>)/, '$1$2$2'),
      ),
      'SSO_RESPONSE_INVALID',
      'signature_invalid',
    );
  });

  it.each([
    ['audience', { Audience: 'https://another-sp.example/metadata' }, 'audience_mismatch'],
    ['SubjectConfirmation Recipient', { SubjectRecipient: 'https://another-sp.example/acs' }, 'recipient_mismatch'],
    ['Response Destination', { Destination: 'https://another-sp.example/acs' }, 'destination_mismatch'],
    ['Issuer', { Issuer: 'https://another-idp.example/metadata' }, 'issuer_mismatch'],
  ] as const)('a wrong %s', async (_name, tags, reason) => {
    await expectRefused(await signInThroughIdp(user('wrong'), tags), 'SSO_RESPONSE_INVALID', reason);
  });

  it('an expired assertion', async () => {
    const past = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();
    await expectRefused(
      await signInThroughIdp(user('late'), {
        IssueInstant: past(10),
        ConditionsNotBefore: past(10),
        ConditionsNotOnOrAfter: past(5),
        SubjectConfirmationDataNotOnOrAfter: past(5),
      }),
      'SSO_RESPONSE_EXPIRED',
      'expired',
    );
  });

  it('an assertion not valid yet', async () => {
    const future = (minutes: number) => new Date(Date.now() + minutes * 60_000).toISOString();
    await expectRefused(
      await signInThroughIdp(user('early'), { ConditionsNotBefore: future(5), ConditionsNotOnOrAfter: future(10) }),
      'SSO_RESPONSE_EXPIRED',
      'not_yet_valid',
    );
  });

  it('a replayed response, after it signed the person in once', async () => {
    const request = await startLogin();
    const response = await idp.respond(sp, user('replay'), request.id);
    expect(await sessionOf(await postAcs(response))).toMatchObject({ user: { email: `replay@${domain}` } });
    // Its request was used up by the first sign-in: refused before the assertion's own replay check.
    await expectRefused(await postAcs(response), 'SSO_REQUEST_UNKNOWN', 'in_response_to_unknown');
  });

  it('an unknown InResponseTo, or one issued for another connection', async () => {
    await expectRefused(
      await postAcs(await idp.respond(sp, user('u1'), '_never-issued')),
      'SSO_REQUEST_UNKNOWN',
      'in_response_to_unknown',
    );
    const other = await createConnection(acme, ownerToken, { name: 'Other' });
    const foreign = await startLogin(other);
    await expectRefused(
      await postAcs(await idp.respond(sp, user('u2'), foreign.id)),
      'SSO_REQUEST_UNKNOWN',
      'in_response_to_unknown',
    );
  });

  it('a missing InResponseTo (IdP-initiated) while IdP-initiated sign-in is off', async () => {
    await expectRefused(
      await postAcs(await idp.respond(sp, user('idp-init'), null)),
      'SSO_IDP_INITIATED_DISABLED',
      'idp_initiated_disabled',
    );
  });

  it('DOCTYPE and entity declarations', async () => {
    await expectRefused(
      await tampered(user('a10'), (xml) => `<!DOCTYPE r [<!ENTITY e "boss@${domain}">]>${xml}`),
      'SSO_RESPONSE_INVALID',
      'doctype',
    );
  });

  it('an oversized payload, and a deflate bomb', async () => {
    const request = await startLogin();
    const padded = (await idp.respondXml(sp, user('big'), request.id)).replace(
      '</samlp:Response>',
      `<!--${'x'.repeat(200_000)}--></samlp:Response>`,
    );
    await expectRefused(await postAcs(Buffer.from(padded).toString('base64')), 'SSO_RESPONSE_TOO_LARGE', 'too_large');
    const huge = await t.http
      .post(`/api/sso/${connection.id}/acs`)
      .set('Host', host(acme))
      .type('form')
      .send(`SAMLResponse=${'A'.repeat(600_000)}`);
    expect(huge.status).toBe(413);
    const bomb = deflateSync(Buffer.from(`SAMLResponse=${'A'.repeat(20_000_000)}`));
    const inflated = await t.http
      .post(`/api/sso/${connection.id}/acs`)
      .set('Host', host(acme))
      .set('Content-Type', 'application/x-www-form-urlencoded')
      .set('Content-Encoding', 'deflate')
      .send(bomb);
    // Inflating stops at the 512 KB body limit: refused as a client error, never a crash or a 20 MB string.
    expect(inflated.status >= 400 && inflated.status < 500).toBe(true);
    expect(refreshCookieOf(inflated)).toBeUndefined();
  });

  it('a signed response padded with thousands of sibling or nested elements (refused before any XML parser, in linear time)', async () => {
    const request = await startLogin();
    const padded = (await idp.respondXml(sp, user('padded'), request.id)).replace(
      '</samlp:Response>',
      `${'<a/>'.repeat(5_000)}</samlp:Response>`,
    );
    await expectRefused(await postAcs(Buffer.from(padded).toString('base64')), 'SSO_RESPONSE_TOO_LARGE', 'too_complex');
    const nested = (await idp.respondXml(sp, user('padded'), request.id)).replace(
      '</samlp:Response>',
      `${'<a>'.repeat(100)}${'</a>'.repeat(100)}</samlp:Response>`,
    );
    await expectRefused(await postAcs(Buffer.from(nested).toString('base64')), 'SSO_RESPONSE_TOO_LARGE', 'too_complex');
  });

  it('a SAML message in the query string beside the posted response (the redirect binding would reach a parser past the bounds)', async () => {
    const request = await startLogin();
    const response = await idp.respond(sp, user('query'), request.id);
    const deep = deflateRawSync(
      `<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol">${'<a>'.repeat(5_000)}${'</a>'.repeat(5_000)}</samlp:Response>`,
    ).toString('base64');
    for (const name of ['SAMLResponse', 'SAMLRequest']) {
      const agent = `sso-test-${++posts}`;
      const res = await t.http
        .post(`/api/sso/${connection.id}/acs`)
        .query({ [name]: deep })
        .set('Host', host(acme))
        .set('User-Agent', agent)
        .type('form')
        .send({ SAMLResponse: response });
      agents.set(res, agent);
      await expectRefused(res, 'SSO_RESPONSE_INVALID', 'malformed');
    }
    // Refused before anything was read: the posted response itself still signs the person in.
    expect(await sessionOf(await postAcs(response))).toMatchObject({ user: { email: `query@${domain}` } });
  });

  it("tenant A's valid response posted to tenant B's ACS (same IdP), which then still signs in at A", async () => {
    const globex = await t.data.aTenant();
    await t.data.aDomain(globex, `${globex.slug}.test`);
    const globexOwner = (await signIn(t, await t.data.aMember(globex, 'owner'))).accessToken;
    const theirs = await createConnection(globex, globexOwner, {
      domains: [`${globex.slug}.test`],
      allowIdpInitiated: true,
    });
    const request = await startLogin();
    const response = await idp.respond(sp, { email: `jane@${domain}` }, request.id);
    await expectRefused(await postAcs(response, '/', theirs, globex), 'SSO_REQUEST_UNKNOWN', 'in_response_to_unknown');
    const idpInitiated = await idp.respond(sp, { email: `jane@${globex.slug}.test` }, null);
    await expectRefused(await postAcs(idpInitiated, '/', theirs, globex), 'SSO_RESPONSE_INVALID', 'audience_mismatch');
    expect(await sessionOf(await postAcs(response))).toMatchObject({
      tenant: { id: acme.id },
      user: { email: `jane@${domain}` },
    });
  });

  it('an email on a domain the tenant has not verified, or that this connection does not serve', async () => {
    await expectRefused(
      await signInThroughIdp({ email: 'mallory@evil.test' }),
      'SSO_DOMAIN_MISMATCH',
      'domain_not_served',
    );
    const unverified = `pending-${acme.slug}.test`;
    await t.data.aDomain(acme, unverified, false);
    await expectRefused(
      await signInThroughIdp({ email: `mallory@${unverified}` }),
      'SSO_DOMAIN_MISMATCH',
      'domain_not_served',
    );
    expect(await userCount('mallory@evil.test')).toBe(0);
  });

  it('an operator (platform) account, even on a verified domain', async () => {
    const root = await t.data.aSuperAdmin();
    await t.data.query('update users set email = $1 where id = $2', [`root@${domain}`, root.userId]);
    await expectRefused(await signInThroughIdp({ email: `root@${domain}` }), 'SSO_PLATFORM_ACCOUNT');
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
    const owner = (await signIn(t, await t.data.aMember(tenant, 'owner'))).accessToken;
    open = await createConnection(tenant, owner, { domains: [openDomain], allowIdpInitiated: true });
    openSp = { entityId: open.serviceProvider.entityId, acsUrl: open.serviceProvider.acsUrl };
    Object.assign(open, { tenant });
  });
  const tenantOf = (c: SsoConnection) => (c as SsoConnection & { tenant: TestTenant }).tenant;

  it('signs in without a request of ours, once: a replay fails on this and on a second API instance', async () => {
    const response = await idp.respond(openSp, { email: `ida@${openDomain}` }, null);
    const first = await postAcs(response, '/contacts', open, tenantOf(open));
    expect(first.headers.location).toBe('/'); // no request of ours, so no returnTo: the posted RelayState is ignored
    expect(await sessionOf(first, tenantOf(open))).toMatchObject({ user: { email: `ida@${openDomain}` } });
    await expectRefused(await postAcs(response, '/', open, tenantOf(open)), 'SSO_REQUEST_UNKNOWN', 'replayed');
    const second = await startTestApp({ sameDataAs: t, env });
    try {
      await expectRefused(
        await postAcs(response, '/', open, tenantOf(open), second),
        'SSO_REQUEST_UNKNOWN',
        'replayed',
      );
    } finally {
      await second.close();
    }
  });

  it('still checks audience and recipient', async () => {
    await expectRefused(
      await postAcs(
        await idp.respond(openSp, { email: `ida@${openDomain}` }, null, { Audience: 'https://other.example/sp' }),
        '/',
        open,
        tenantOf(open),
      ),
      'SSO_RESPONSE_INVALID',
      'audience_mismatch',
    );
    await expectRefused(
      await postAcs(
        await idp.respond(openSp, { email: `ida@${openDomain}` }, null, {
          SubjectRecipient: 'https://other.example/acs',
        }),
        '/',
        open,
        tenantOf(open),
      ),
      'SSO_RESPONSE_INVALID',
      'recipient_mismatch',
    );
  });
});

describe('seats on just-in-time sign-in', () => {
  it('lets exactly the free seats through when new people sign in at once, and keeps nothing of the refused', async () => {
    const tenant = await t.data.aTenant({ plan: 'free' });
    // The free plan has no SSO: the operator turned it on for this tenant.
    await t.data.query(
      `update tenants set feature_overrides = '{"sso": {"enabled": true, "config": null}}' where id = $1`,
      [tenant.id],
    );
    const rushDomain = `${tenant.slug}.test`;
    await t.data.aDomain(tenant, rushDomain);
    const owner = (await signIn(t, await t.data.aMember(tenant, 'owner'))).accessToken;
    await t.data.aMember(tenant, 'member');
    await t.data.aMember(tenant, 'member'); // 3 of the 5 seats
    const rush = await createConnection(tenant, owner, { domains: [rushDomain] });
    const rushSp = { entityId: rush.serviceProvider.entityId, acsUrl: rush.serviceProvider.acsUrl };
    const requests = await Promise.all(Array.from({ length: 8 }, () => startLogin(rush, tenant, '/')));
    const responses = await Promise.all(
      requests.map((r, i) => idp.respond(rushSp, { email: `rush-${i}@${rushDomain}` }, r.id)),
    );
    const results = await Promise.all(responses.map((response) => postAcs(response, '/', rush, tenant)));

    const admitted = results.filter((r) => r.headers.location === '/');
    expect(admitted).toHaveLength(2);
    for (const refused of results.filter((r) => r.headers.location !== '/'))
      await expectRefused(refused, 'SEAT_LIMIT_REACHED');
    const members = await t.data.query<{ n: number }>(
      'select count(*)::int as n from memberships where tenant_id = $1',
      [tenant.id],
    );
    expect(members.rows[0].n).toBe(5);
    const accounts = await t.data.query<{ n: number }>(`select count(*)::int as n from users where email like $1`, [
      `rush-%@${rushDomain}`,
    ]);
    expect(accounts.rows[0].n).toBe(2);
  });
});

describe('SSO-required domains', () => {
  const patchDomain = (id: string, body: Record<string, unknown>) =>
    t.http.patch(`/api/domains/${id}`).set('Host', host(acme)).set('Authorization', `Bearer ${adminToken}`).send(body);
  let domainId: string;
  beforeAll(async () => {
    domainId = (
      await t.data.query<{ id: string }>('select id from verified_domains where tenant_id = $1 and domain = $2', [
        acme.id,
        domain,
      ])
    ).rows[0].id;
  });
  afterAll(() => patchDomain(domainId, { ssoRequired: false }).expect(200));
  const requireSso = () => patchDomain(domainId, { ssoRequired: true }).expect(200);

  it('can only be required where an enabled connection serves the domain', async () => {
    const lonely = await t.data.aDomain(acme, `lonely-${acme.slug}.test`);
    expect((await patchDomain(lonely, { ssoRequired: true }).expect(404)).body.error.code).toBe('SSO_NOT_CONFIGURED');
    expect((await patchDomain(domainId, { ssoRequired: true }).expect(200)).body).toMatchObject({
      domain,
      ssoRequired: true,
      autoJoin: false,
    });
  });

  it('refuses password sign-in of its members with SSO_REQUIRED and where to go instead; owners keep their password', async () => {
    await requireSso();
    const member = await t.data.aMember(acme, 'member');
    const res = await t.http
      .post('/api/auth/login')
      .set('Host', host(acme))
      .send({ email: member.email, password: member.password })
      .expect(403);
    expect(res.body.error).toMatchObject({
      code: 'SSO_REQUIRED',
      details: { loginUrl: `http://${acme.slug}.localhost:3000/api/sso/${connection.id}/login` },
    });
    expect(refreshCookieOf(res)).toBeUndefined();
    const owner = await t.data.aMember(acme, 'owner');
    await t.http
      .post('/api/auth/login')
      .set('Host', host(acme))
      .send({ email: owner.email, password: owner.password })
      .expect(200);
  });

  it('refuses invitations for its emails (their IdP lets them in)', async () => {
    await requireSso();
    const res = await t.http
      .post('/api/invitations')
      .set('Host', host(acme))
      .set('Authorization', `Bearer ${adminToken}`)
      .send({ email: `newbie@${domain}`, role: 'member' })
      .expect(403);
    expect(res.body.error.code).toBe('SSO_REQUIRED');
    await t.http
      .post('/api/invitations')
      .set('Host', host(acme))
      .set('Authorization', `Bearer ${adminToken}`)
      .send({ email: 'guest@elsewhere.test', role: 'member' })
      .expect(201);
  });

  it('stops applying when no enabled connection serves the domain any more (nobody is locked out)', async () => {
    await requireSso();
    await t.http
      .patch(`/api/sso/connections/${connection.id}`)
      .set('Host', host(acme))
      .set('Authorization', `Bearer ${adminToken}`)
      .send({ enabled: false })
      .expect(200);
    try {
      const member = await t.data.aMember(acme, 'member');
      await t.http
        .post('/api/auth/login')
        .set('Host', host(acme))
        .send({ email: member.email, password: member.password })
        .expect(200);
    } finally {
      await t.http
        .patch(`/api/sso/connections/${connection.id}`)
        .set('Host', host(acme))
        .set('Authorization', `Bearer ${ownerToken}`)
        .send({ enabled: true })
        .expect(200);
    }
  });
});
