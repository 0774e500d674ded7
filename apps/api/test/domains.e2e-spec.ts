import type { AuditEvent, ErrorBody, Page, VerifiedDomain } from '@tenantry/contracts';
import { TestDnsServer } from '../../../tools/testing/dns-server.js';
import type { TestTenant } from '../../../tools/testing/factories.js';
import { signIn } from './support/sessions.js';
import { startTestApp, type TestApp } from './support/test-app.js';

let t: TestApp;
let dns: TestDnsServer;
let tenant: TestTenant;
let token: string;
beforeAll(async () => {
  dns = await new TestDnsServer().start();
  t = await startTestApp({ env: { DNS_SERVERS: dns.address } });
  tenant = await t.data.aTenant();
  token = (await signIn(t, await t.data.aMember(tenant, 'admin'))).accessToken;
});
afterAll(async () => {
  await t.close();
  await dns.stop();
});

const codeOf = (res: { body: unknown }) => (res.body as ErrorBody).error.code;
const call = (method: 'get' | 'post' | 'delete', path: string, as = token, host = tenant.slug) =>
  t.http[method](`/api${path}`).set('Host', `${host}.localhost`).set('Authorization', `Bearer ${as}`);

describe('verified domains', () => {
  it('are claimed with a TXT record to publish, and verified once DNS shows it', async () => {
    const claimed = (await call('post', '/domains').send({ domain: 'Acme-Corp.test.' }).expect(201)).body as VerifiedDomain;
    expect(claimed).toMatchObject({ domain: 'acme-corp.test', status: 'pending', verifiedAt: null });
    expect(claimed.dnsRecord).toEqual({ type: 'TXT', name: '_tenantry-verification.acme-corp.test', value: expect.stringMatching(/^tenantry-verification=[A-Za-z0-9_-]{24}$/) });

    const early = await call('post', `/domains/${claimed.id}/verify`).expect(422);
    expect(codeOf(early)).toBe('DOMAIN_VERIFICATION_FAILED');
    expect((early.body as ErrorBody).error.details).toEqual({ reason: 'no TXT record at _tenantry-verification.acme-corp.test yet', expected: claimed.dnsRecord });
    const pending = ((await call('get', '/domains').expect(200)).body as VerifiedDomain[])[0];
    expect(pending).toMatchObject({ status: 'pending', lastCheckError: 'no TXT record at _tenantry-verification.acme-corp.test yet', lastCheckedAt: expect.any(String) });

    dns.setTxt(claimed.dnsRecord.name, 'google-site-verification=xyz', claimed.dnsRecord.value);
    const verified = (await call('post', `/domains/${claimed.id}/verify`).expect(200)).body as VerifiedDomain;
    expect(verified).toMatchObject({ status: 'verified', verifiedAt: expect.any(String), lastCheckError: null });

    const log = (await call('get', '/audit-events?limit=5').expect(200)).body as Page<AuditEvent>;
    expect(log.items.filter((e) => e.target?.label === 'acme-corp.test').map((e) => e.action)).toEqual(['domain.verified', 'domain.claimed']);
  });

  it('are not verified by a record holding another tenant\'s token', async () => {
    const other = await t.data.aTenant();
    const otherToken = (await signIn(t, await t.data.aMember(other, 'owner'))).accessToken;
    const theirs = (await call('post', '/domains', otherToken, other.slug).send({ domain: 'shared.test' }).expect(201)).body as VerifiedDomain;
    const mine = (await call('post', '/domains').send({ domain: 'shared.test' }).expect(201)).body as VerifiedDomain;
    dns.setTxt(theirs.dnsRecord.name, theirs.dnsRecord.value);
    expect(codeOf(await call('post', `/domains/${mine.id}/verify`).expect(422))).toBe('DOMAIN_VERIFICATION_FAILED');
    await call('post', `/domains/${theirs.id}/verify`, otherToken, other.slug).expect(200);
    // Neither tenant sees, verifies or removes the other's claim.
    expect(codeOf(await call('post', `/domains/${theirs.id}/verify`).expect(404))).toBe('DOMAIN_NOT_FOUND');
    expect(codeOf(await call('delete', `/domains/${theirs.id}`).expect(404))).toBe('DOMAIN_NOT_FOUND');
    expect(((await call('get', '/domains').expect(200)).body as VerifiedDomain[]).map((d) => d.id)).not.toContain(theirs.id);
  });

  it('refuse public email domains, malformed names and a second claim of the same domain', async () => {
    expect(codeOf(await call('post', '/domains').send({ domain: 'gmail.com' }).expect(422))).toBe('DOMAIN_PUBLIC');
    expect(codeOf(await call('post', '/domains').send({ domain: 'outlook.com' }).expect(422))).toBe('DOMAIN_PUBLIC');
    expect(codeOf(await call('post', '/domains').send({ domain: 'not a domain' }).expect(400))).toBe('VALIDATION_FAILED');
    expect(codeOf(await call('post', '/domains').send({ domain: 'localhost' }).expect(400))).toBe('VALIDATION_FAILED');
    await call('post', '/domains').send({ domain: 'twice.test' }).expect(201);
    expect(codeOf(await call('post', '/domains').send({ domain: 'twice.test' }).expect(409))).toBe('DOMAIN_ALREADY_CLAIMED');
  });

  it('can be removed, and are managed by admins and owners only', async () => {
    const claimed = (await call('post', '/domains').send({ domain: 'gone.test' }).expect(201)).body as VerifiedDomain;
    await call('delete', `/domains/${claimed.id}`).expect(204);
    expect(((await call('get', '/domains').expect(200)).body as VerifiedDomain[]).map((d) => d.domain)).not.toContain('gone.test');
    const member = (await signIn(t, await t.data.aMember(tenant, 'member'))).accessToken;
    expect(codeOf(await call('get', '/domains', member).expect(403))).toBe('FORBIDDEN');
    expect(codeOf(await call('post', '/domains', member).send({ domain: 'x.test' }).expect(403))).toBe('FORBIDDEN');
  });
});
