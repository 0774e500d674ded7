import { randomBytes } from 'node:crypto';
import { CustomDomainsService } from '@tenantry/api-custom-domains';
import type { AuditEvent, BrandingResponse, CustomDomain, ErrorBody, Page } from '@tenantry/contracts';
import { TestDnsServer } from '@tenantry/testing/dns-server';
import type { TestTenant } from '@tenantry/testing/factories';
import { signIn } from './support/sessions.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { codeOf } from './support/error-body.js';
import { until } from '@tenantry/testing/until';

let t: TestApp;
let dns: TestDnsServer;
let acme: TestTenant;
let acmeToken: string;
let globex: TestTenant;
let globexToken: string;
beforeAll(async () => {
  dns = await new TestDnsServer().start();
  t = await startTestApp({ env: { DNS_SERVERS: dns.address, PUBLIC_URL: 'http://localhost:3000' } });
  acme = await t.data.aTenant();
  acmeToken = (await signIn(t, await t.data.aMember(acme, 'admin'))).accessToken;
  globex = await t.data.aTenant();
  globexToken = (await signIn(t, await t.data.aMember(globex, 'owner'))).accessToken;
});
afterAll(async () => {
  await t.close();
  await dns.stop();
});

const call = (method: 'get' | 'post' | 'delete', path: string, tenant = acme, token = acmeToken) =>
  t.http[method](`/api${path}`).set('Host', `${tenant.slug}.localhost`).set('Authorization', `Bearer ${token}`);
/** The tenant a request on `host` lands on (public branding names it). */
const tenantOnHost = async (host: string, app = t) =>
  ((await app.http.get('/api/branding').set('Host', host).expect(200)).body as BrandingResponse).tenant?.slug ?? null;
const ask = (domain: string) => t.http.get('/api/tls/ask').query({ domain });

/** Adds `hostname` for `tenant`, publishes its TXT record and verifies it. */
async function verified(hostname: string, tenant = acme, token = acmeToken): Promise<CustomDomain> {
  const added = (await call('post', '/custom-domains', tenant, token).send({ hostname }).expect(201))
    .body as CustomDomain;
  dns.setTxt(added.dnsRecord.name, added.dnsRecord.value);
  return (await call('post', `/custom-domains/${added.id}/verify`, tenant, token).expect(200)).body as CustomDomain;
}

describe('custom domains', () => {
  it('give a TXT record and a CNAME target, route requests by Host once verified, and are audited', async () => {
    const added = (await call('post', '/custom-domains').send({ hostname: ' App.Acme-Corp.test. ' }).expect(201))
      .body as CustomDomain;
    expect(added).toMatchObject({
      hostname: 'app.acme-corp.test',
      status: 'pending',
      cnameTarget: 'edge.localhost',
      verifiedAt: null,
    });
    expect(added.dnsRecord).toEqual({
      type: 'TXT',
      name: '_tenantry-verification.app.acme-corp.test',
      value: expect.stringMatching(/^tenantry-verification=[A-Za-z0-9_-]{24}$/),
    });
    expect(await tenantOnHost('app.acme-corp.test')).toBeNull();

    const early = await call('post', `/custom-domains/${added.id}/verify`).expect(422);
    expect((early.body as ErrorBody).error).toMatchObject({
      code: 'DOMAIN_VERIFICATION_FAILED',
      details: { reason: 'no TXT record at _tenantry-verification.app.acme-corp.test yet', expected: added.dnsRecord },
    });
    expect(await tenantOnHost('app.acme-corp.test')).toBeNull();

    dns.setTxt(added.dnsRecord.name, added.dnsRecord.value);
    const done = (await call('post', `/custom-domains/${added.id}/verify`).expect(200)).body as CustomDomain;
    expect(done).toMatchObject({ status: 'verified', verifiedAt: expect.any(String), lastCheckError: null });
    expect(await tenantOnHost('app.acme-corp.test')).toBe(acme.slug);
    expect(await tenantOnHost('APP.acme-corp.test')).toBe(acme.slug);
    // A signed-in member works on the custom host like on the subdomain.
    const list = await t.http
      .get('/api/custom-domains')
      .set('Host', 'app.acme-corp.test')
      .set('Authorization', `Bearer ${acmeToken}`)
      .expect(200);
    expect((list.body as CustomDomain[]).map((d) => d.hostname)).toContain('app.acme-corp.test');
    // …and a token of another tenant is refused there.
    expect(
      codeOf(
        await t.http
          .get('/api/contacts')
          .set('Host', 'app.acme-corp.test')
          .set('Authorization', `Bearer ${globexToken}`)
          .expect(403),
      ),
    ).toBe('TENANT_MISMATCH');

    const log = (await call('get', '/audit-events?limit=5').expect(200)).body as Page<AuditEvent>;
    expect(log.items.filter((e) => e.target?.label === 'app.acme-corp.test').map((e) => e.action)).toEqual([
      'custom_domain.verified',
      'custom_domain.added',
    ]);

    await call('delete', `/custom-domains/${added.id}`).expect(204);
    expect(await tenantOnHost('app.acme-corp.test')).toBeNull();
  });

  it('belong to one tenant: a name verified by another answers 409 DOMAIN_TAKEN, a mere pending claim blocks nobody', async () => {
    const squatted = (
      await call('post', '/custom-domains', globex, globexToken).send({ hostname: 'portal.acme.test' }).expect(201)
    ).body as CustomDomain;
    await verified('portal.acme.test');
    // Taken by another tenant says so, before "you already claimed it".
    expect(
      codeOf(
        await call('post', '/custom-domains', globex, globexToken).send({ hostname: 'portal.acme.test' }).expect(409),
      ),
    ).toBe('DOMAIN_TAKEN');
    // Even with the right record published, the squatter's claim cannot be verified now.
    dns.setTxt(squatted.dnsRecord.name, squatted.dnsRecord.value);
    expect(codeOf(await call('post', `/custom-domains/${squatted.id}/verify`, globex, globexToken).expect(409))).toBe(
      'DOMAIN_TAKEN',
    );
    const third = await t.data.aTenant();
    const thirdToken = (await signIn(t, await t.data.aMember(third, 'owner'))).accessToken;
    expect(
      codeOf(
        await call('post', '/custom-domains', third, thirdToken).send({ hostname: 'portal.acme.test' }).expect(409),
      ),
    ).toBe('DOMAIN_TAKEN');
    // Neither tenant sees or removes the other's domains.
    expect(codeOf(await call('delete', `/custom-domains/${squatted.id}`).expect(404))).toBe('DOMAIN_NOT_FOUND');
    expect(
      ((await call('get', '/custom-domains', globex, globexToken).expect(200)).body as CustomDomain[]).map(
        (d) => d.hostname,
      ),
    ).toEqual(['portal.acme.test']);
    expect(await tenantOnHost('portal.acme.test')).toBe(acme.slug);
  });

  it("refuse the platform's own names, malformed names, more than 10, members and plans without the feature", async () => {
    expect(codeOf(await call('post', '/custom-domains').send({ hostname: 'evil.localhost' }).expect(422))).toBe(
      'DOMAIN_RESERVED',
    );
    expect(codeOf(await call('post', '/custom-domains').send({ hostname: 'localhost' }).expect(400))).toBe(
      'VALIDATION_FAILED',
    );
    expect(codeOf(await call('post', '/custom-domains').send({ hostname: '127.0.0.1' }).expect(400))).toBe(
      'VALIDATION_FAILED',
    );
    expect(codeOf(await call('post', '/custom-domains').send({ hostname: 'https://app.acme.test/' }).expect(400))).toBe(
      'VALIDATION_FAILED',
    );
    await call('post', '/custom-domains').send({ hostname: 'twice.acme.test' }).expect(201);
    expect(codeOf(await call('post', '/custom-domains').send({ hostname: 'twice.acme.test' }).expect(409))).toBe(
      'DOMAIN_ALREADY_CLAIMED',
    );
    const busy = await t.data.aTenant();
    const busyToken = (await signIn(t, await t.data.aMember(busy, 'owner'))).accessToken;
    for (let i = 0; i < 10; i++)
      await call('post', '/custom-domains', busy, busyToken)
        .send({ hostname: `n${i}.busy.test` })
        .expect(201);
    expect(
      (await call('post', '/custom-domains', busy, busyToken).send({ hostname: 'n10.busy.test' }).expect(409)).body,
    ).toMatchObject({ error: { code: 'CUSTOM_DOMAIN_LIMIT', details: { limit: 10 } } });

    const member = (await signIn(t, await t.data.aMember(acme, 'member'))).accessToken;
    expect(
      codeOf(await call('post', '/custom-domains', acme, member).send({ hostname: 'x.acme.test' }).expect(403)),
    ).toBe('FORBIDDEN');
    const free = await t.data.aTenant({ plan: 'free' });
    const freeToken = (await signIn(t, await t.data.aMember(free, 'owner'))).accessToken;
    expect((await call('get', '/custom-domains', free, freeToken).expect(403)).body).toMatchObject({
      error: { code: 'FEATURE_DISABLED', details: { feature: 'custom_domains' } },
    });
  });

  it('are checked daily: a missing TXT record flags the domain, which stops routing after three days unless the record is back', async () => {
    const domain = await verified('status.acme.test');
    const service = t.app.get(CustomDomainsService);
    const status = async () =>
      ((await call('get', '/custom-domains').expect(200)).body as CustomDomain[]).find((d) => d.id === domain.id)!;

    dns.setTxt(domain.dnsRecord.name, 'something-else');
    const day1 = new Date();
    await service.recheckAll(day1);
    expect(await status()).toMatchObject({
      status: 'failing',
      lastCheckError: expect.stringMatching(/do not include the expected value/),
      unverifiesAt: new Date(day1.getTime() + 3 * 86_400_000).toISOString(),
    });
    expect(await tenantOnHost('status.acme.test')).toBe(acme.slug);

    // Back in time: the flag clears.
    dns.setTxt(domain.dnsRecord.name, domain.dnsRecord.value);
    await service.recheckAll(new Date(day1.getTime() + 86_400_000));
    expect(await status()).toMatchObject({ status: 'verified', unverifiesAt: null, lastCheckError: null });

    dns.setTxt(domain.dnsRecord.name, 'something-else');
    await service.recheckAll(new Date(day1.getTime() + 2 * 86_400_000));
    await service.recheckAll(new Date(day1.getTime() + 4 * 86_400_000));
    expect(await status()).toMatchObject({ status: 'failing' });
    expect(await tenantOnHost('status.acme.test')).toBe(acme.slug);
    await service.recheckAll(new Date(day1.getTime() + 5 * 86_400_000));
    expect(await status()).toMatchObject({ status: 'pending', verifiedAt: null });
    expect(await tenantOnHost('status.acme.test')).toBeNull();
    expect(codeOf(await ask('status.acme.test').expect(404))).toBe('DOMAIN_NOT_FOUND');

    const log = (await call('get', '/audit-events?limit=20').expect(200)).body as Page<AuditEvent>;
    expect(
      log.items
        .filter((e) => e.target?.label === 'status.acme.test')
        .map((e) => e.action)
        .slice(0, 4),
    ).toEqual([
      'custom_domain.unverified',
      'custom_domain.dns_missing',
      'custom_domain.dns_restored',
      'custom_domain.dns_missing',
    ]);
  });

  it('are allowed cross-origin (CORS with credentials) once verified, on the platform port; other origins are not', async () => {
    const preflight = (origin: string) =>
      t.http.options('/api/contacts').set('Origin', origin).set('Access-Control-Request-Method', 'GET');
    const allowedOrigin = async (origin: string) =>
      (await preflight(origin)).headers['access-control-allow-origin'] ?? null;
    expect(await allowedOrigin('http://cors.acme.test:3000')).toBeNull();
    await verified('cors.acme.test');
    const allowed = await preflight('http://cors.acme.test:3000');
    expect(allowed.headers['access-control-allow-origin']).toBe('http://cors.acme.test:3000');
    expect(allowed.headers['access-control-allow-credentials']).toBe('true');
    expect(await allowedOrigin(`http://${acme.slug}.localhost:3000`)).toBe(`http://${acme.slug}.localhost:3000`);
    expect(await allowedOrigin('http://localhost:3000')).toBe('http://localhost:3000');
    expect(await allowedOrigin('http://evil.test')).toBeNull();
    expect(await allowedOrigin('http://cors.acme.test.evil.test:3000')).toBeNull();
  });

  it('refuse cross-origin calls from other ports, other schemes, unknown or suspended tenants and deeper names', async () => {
    const suspended = await t.data.aTenant({ status: 'suspended' });
    await verified('ports.acme.test');
    const preflight = (origin: string) =>
      t.http.options('/api/contacts').set('Origin', origin).set('Access-Control-Request-Method', 'GET');
    for (const origin of [
      `http://${acme.slug}.localhost:8080`,
      `http://${acme.slug}.localhost`,
      `https://${acme.slug}.localhost:3000`,
      'http://localhost:3001',
      'http://ports.acme.test:8080',
      'http://ports.acme.test',
      'http://no-such-tenant.localhost:3000',
      `http://${suspended.slug}.localhost:3000`,
      `http://evil.${acme.slug}.localhost:3000`,
      'http://www.localhost:3000',
      'null',
    ]) {
      expect({ origin, allowed: (await preflight(origin)).headers['access-control-allow-origin'] ?? null }).toEqual({
        origin,
        allowed: null,
      });
    }
  });

  it('are seen by every API instance within a second of being verified', async () => {
    const second = await startTestApp({ sameDataAs: t, env: { DNS_SERVERS: dns.address } });
    try {
      expect(await tenantOnHost('replica.acme.test', second)).toBeNull(); // "nobody here" is now cached on the second instance
      await verified('replica.acme.test');
      const seen = await until(
        'the second instance routing the verified host',
        () => tenantOnHost('replica.acme.test', second),
        (slug) => slug !== null,
        1_000,
      ).catch(() => null);
      expect(seen).toBe(acme.slug);
    } finally {
      await second.close();
    }
  });
});

describe('on-demand TLS ask endpoint', () => {
  it('answers yes only for verified custom domains of live tenants', async () => {
    const pending = (await call('post', '/custom-domains').send({ hostname: 'pending.acme.test' }).expect(201))
      .body as CustomDomain;
    await verified('tls.acme.test');
    expect((await ask('tls.acme.test').expect(200)).body).toEqual({ domain: 'tls.acme.test', allowed: true });
    expect((await ask('TLS.acme.test.').expect(200)).body).toEqual({ domain: 'tls.acme.test', allowed: true });
    expect(codeOf(await ask(pending.hostname).expect(404))).toBe('DOMAIN_NOT_FOUND');
    await t.http.get('/api/tls/ask').expect(404);
    expect(codeOf(await ask(`${acme.slug}.localhost`).expect(404))).toBe('DOMAIN_NOT_FOUND');

    const suspended = await t.data.aTenant({ status: 'suspended' });
    await t.data.query(
      `insert into custom_domains (tenant_id, hostname, verification_token, verified_at) values ($1, 'suspended.test', 't', now())`,
      [suspended.id],
    );
    expect(codeOf(await ask('suspended.test').expect(404))).toBe('DOMAIN_NOT_FOUND');
  });

  it('allows none of 1,000 random host names (an open ask endpoint lets anyone burn our certificate rate limits)', async () => {
    await verified('www.acme-shop.test');
    const label = () => randomBytes(4 + (randomBytes(1)[0] % 8)).toString('hex');
    const near = [
      'www.acme-shop.test.evil.com',
      'acme-shop.test',
      'x.www.acme-shop.test',
      'www.acme-shop.tes',
      'www-acme-shop.test',
      'www.acme-shop.test%00.evil.com',
      '*.acme-shop.test',
      'localhost',
      '127.0.0.1',
      '',
    ];
    const hosts = [
      ...near,
      ...Array.from({ length: 1_000 - near.length }, (_, i) =>
        [label(), label(), ['com', 'net', 'test', 'io', 'localhost'][i % 5]].join('.'),
      ),
    ];
    const answers = [];
    for (let i = 0; i < hosts.length; i += 50)
      answers.push(...(await Promise.all(hosts.slice(i, i + 50).map((h) => ask(h)))));
    expect(answers).toHaveLength(1_000);
    expect(answers.filter((a) => a.status === 200)).toEqual([]);
    expect(new Set(answers.map((a) => a.status))).toEqual(new Set([404]));
    expect((await ask('www.acme-shop.test')).status).toBe(200);
  });
});
