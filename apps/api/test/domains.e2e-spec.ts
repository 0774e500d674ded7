import type { AuditEvent, ErrorBody, Page, VerifiedDomain } from '@tenantry/contracts';
import { TestDnsServer } from '@tenantry/testing/dns-server';
import type { TestTenant } from '@tenantry/testing/factories';
import { signIn } from './support/sessions.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { codeOf } from './support/error-body.js';

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

const call = (method: 'get' | 'post' | 'patch' | 'delete', path: string, as = token, host = tenant.slug) =>
  t.http[method](`/api${path}`).set('Host', `${host}.localhost`).set('Authorization', `Bearer ${as}`);

describe('verified domains', () => {
  it('are claimed with a TXT record to publish, and verified once DNS shows it', async () => {
    const claimed = (await call('post', '/domains').send({ domain: 'Acme-Corp.test.' }).expect(201))
      .body as VerifiedDomain;
    expect(claimed).toMatchObject({ domain: 'acme-corp.test', status: 'pending', verifiedAt: null });
    expect(claimed.dnsRecord).toEqual({
      type: 'TXT',
      name: '_tenantry-verification.acme-corp.test',
      value: expect.stringMatching(/^tenantry-verification=[A-Za-z0-9_-]{24}$/),
    });

    const early = await call('post', `/domains/${claimed.id}/verify`).expect(422);
    expect(codeOf(early)).toBe('DOMAIN_VERIFICATION_FAILED');
    expect((early.body as ErrorBody).error.details).toEqual({
      reason: 'no TXT record at _tenantry-verification.acme-corp.test yet',
      expected: claimed.dnsRecord,
    });
    const pending = ((await call('get', '/domains').expect(200)).body as VerifiedDomain[])[0];
    expect(pending).toMatchObject({
      status: 'pending',
      lastCheckError: 'no TXT record at _tenantry-verification.acme-corp.test yet',
      lastCheckedAt: expect.any(String),
    });

    dns.setTxt(claimed.dnsRecord.name, 'google-site-verification=xyz', claimed.dnsRecord.value);
    const verified = (await call('post', `/domains/${claimed.id}/verify`).expect(200)).body as VerifiedDomain;
    expect(verified).toMatchObject({ status: 'verified', verifiedAt: expect.any(String), lastCheckError: null });

    const log = (await call('get', '/audit-events?limit=5').expect(200)).body as Page<AuditEvent>;
    expect(log.items.filter((e) => e.target?.label === 'acme-corp.test').map((e) => e.action)).toEqual([
      'domain.verified',
      'domain.claimed',
    ]);
  });

  it("are not verified by a record holding another tenant's token", async () => {
    const other = await t.data.aTenant();
    const otherToken = (await signIn(t, await t.data.aMember(other, 'owner'))).accessToken;
    const theirs = (await call('post', '/domains', otherToken, other.slug).send({ domain: 'shared.test' }).expect(201))
      .body as VerifiedDomain;
    const mine = (await call('post', '/domains').send({ domain: 'shared.test' }).expect(201)).body as VerifiedDomain;
    dns.setTxt(theirs.dnsRecord.name, theirs.dnsRecord.value);
    expect(codeOf(await call('post', `/domains/${mine.id}/verify`).expect(422))).toBe('DOMAIN_VERIFICATION_FAILED');
    await call('post', `/domains/${theirs.id}/verify`, otherToken, other.slug).expect(200);
    // Neither tenant sees, verifies or removes the other's claim.
    expect(codeOf(await call('post', `/domains/${theirs.id}/verify`).expect(404))).toBe('DOMAIN_NOT_FOUND');
    expect(codeOf(await call('delete', `/domains/${theirs.id}`).expect(404))).toBe('DOMAIN_NOT_FOUND');
    expect(((await call('get', '/domains').expect(200)).body as VerifiedDomain[]).map((d) => d.id)).not.toContain(
      theirs.id,
    );
  });

  it('refuse public email domains, malformed names and a second claim of the same domain', async () => {
    expect(codeOf(await call('post', '/domains').send({ domain: 'gmail.com' }).expect(422))).toBe('DOMAIN_PUBLIC');
    expect(codeOf(await call('post', '/domains').send({ domain: 'outlook.com' }).expect(422))).toBe('DOMAIN_PUBLIC');
    expect(codeOf(await call('post', '/domains').send({ domain: 'not a domain' }).expect(400))).toBe(
      'VALIDATION_FAILED',
    );
    expect(codeOf(await call('post', '/domains').send({ domain: 'localhost' }).expect(400))).toBe('VALIDATION_FAILED');
    await call('post', '/domains').send({ domain: 'twice.test' }).expect(201);
    expect(codeOf(await call('post', '/domains').send({ domain: 'twice.test' }).expect(409))).toBe(
      'DOMAIN_ALREADY_CLAIMED',
    );
  });

  it('can be removed, and are managed by admins and owners only', async () => {
    const claimed = (await call('post', '/domains').send({ domain: 'gone.test' }).expect(201)).body as VerifiedDomain;
    await call('delete', `/domains/${claimed.id}`).expect(204);
    expect(((await call('get', '/domains').expect(200)).body as VerifiedDomain[]).map((d) => d.domain)).not.toContain(
      'gone.test',
    );
    const member = (await signIn(t, await t.data.aMember(tenant, 'member'))).accessToken;
    expect(codeOf(await call('get', '/domains', member).expect(403))).toBe('FORBIDDEN');
    expect(codeOf(await call('post', '/domains', member).send({ domain: 'x.test' }).expect(403))).toBe('FORBIDDEN');
  });
});

describe('auto-join by verified domain', () => {
  it('offers people with a confirmed email on the domain to join as members, once the tenant allows it', async () => {
    const company = await t.data.aTenant({ name: 'Initrode' });
    const owner = (await signIn(t, await t.data.aMember(company, 'owner'))).accessToken;
    const domainId = await t.data.aDomain(company, 'initrode.test', true);
    const asOwner = (method: 'patch' | 'get', path: string) =>
      t.http[method](`/api${path}`).set('Host', `${company.slug}.localhost`).set('Authorization', `Bearer ${owner}`);

    // Someone of that company, signed in to another tenant, with a confirmed address.
    const elsewhere = await t.data.aTenant();
    const bob = await t.data.aMember(elsewhere, 'member', { email: 'bob@initrode.test' });
    await t.data.query('update users set email_verified_at = now() where id = $1', [bob.userId]);
    const bobToken = (await signIn(t, bob)).accessToken;
    const asBob = (method: 'get' | 'post', path: string) =>
      t.http[method](`/api${path}`)
        .set('Host', `${elsewhere.slug}.localhost`)
        .set('Authorization', `Bearer ${bobToken}`);

    expect((await asBob('get', '/me/join-options').expect(200)).body).toEqual([]); // not allowed yet
    const changed = await asOwner('patch', `/domains/${domainId}`).send({ autoJoin: true }).expect(200);
    expect(changed.body).toMatchObject({ domain: 'initrode.test', autoJoin: true });
    expect((await asBob('get', '/me/join-options').expect(200)).body).toEqual([
      { tenant: { id: company.id, slug: company.slug, name: 'Initrode' }, domain: 'initrode.test' },
    ]);

    const joined = await asBob('post', '/me/join').send({ tenantId: company.id }).expect(201);
    expect(joined.body).toEqual({ tenant: { id: company.id, slug: company.slug, name: 'Initrode' }, role: 'member' });
    expect((await asBob('get', '/me/join-options').expect(200)).body).toEqual([]);
    const { rows } = await t.data.query<{ action: string; actor_user_id: string }>(
      `select action, actor_user_id from audit_events where tenant_id = $1 and action = 'member.joined'`,
      [company.id],
    );
    expect(rows).toEqual([{ action: 'member.joined', actor_user_id: bob.userId }]);
  });

  it('offers nothing to an unconfirmed address, or on an unverified domain', async () => {
    const company = await t.data.aTenant();
    await t.data.aDomain(company, 'pending-corp.test', false);
    await t.data.query(`update verified_domains set auto_join = true where domain = 'pending-corp.test'`);
    const verifiedCompany = await t.data.aTenant();
    await t.data.aDomain(verifiedCompany, 'quiet-corp.test', true);
    await t.data.query(`update verified_domains set auto_join = true where domain = 'quiet-corp.test'`);
    const elsewhere = await t.data.aTenant();
    const carol = await t.data.aMember(elsewhere, 'member', { email: 'carol@pending-corp.test' });
    await t.data.query('update users set email_verified_at = now() where id = $1', [carol.userId]);
    const dave = await t.data.aMember(elsewhere, 'member', { email: 'dave@quiet-corp.test' }); // address not confirmed
    for (const person of [carol, dave]) {
      const token = (await signIn(t, person)).accessToken;
      const as = (method: 'get' | 'post', path: string) =>
        t.http[method](`/api${path}`)
          .set('Host', `${elsewhere.slug}.localhost`)
          .set('Authorization', `Bearer ${token}`);
      expect((await as('get', '/me/join-options').expect(200)).body).toEqual([]);
      const target = person === carol ? company : verifiedCompany;
      expect(codeOf(await as('post', '/me/join').send({ tenantId: target.id }).expect(403))).toBe('JOIN_NOT_ALLOWED');
    }
  });

  it('lets someone signing up join such a tenant instead of creating one, once the mailed link confirms their address', async () => {
    const company = await t.data.aTenant({ name: 'Vandelay' });
    await t.data.aDomain(company, 'vandelay.test', true);
    await t.data.query(`update verified_domains set auto_join = true where domain = 'vandelay.test'`);
    const options = await t.http.get('/api/auth/signup/options').query({ email: 'Art@Vandelay.test' }).expect(200);
    expect(options.body).toEqual([
      { tenant: { id: company.id, slug: company.slug, name: 'Vandelay' }, domain: 'vandelay.test' },
    ]);
    expect(
      (await t.http.get('/api/auth/signup/options').query({ email: 'art@elsewhere.test' }).expect(200)).body,
    ).toEqual([]);

    const signup = {
      tenantId: company.id,
      displayName: 'Art Vandelay',
      email: 'art@vandelay.test',
      password: 'latex-salesman-1990',
    };
    await t.http.post('/api/auth/signup/join').send(signup).expect(202);
    // Not a member until the address is confirmed: no password sign-in yet, and on the bare address the
    // answer is that of a wrong password (the password someone just chose tells nothing about the address).
    await t.http
      .post('/api/auth/login')
      .set('Host', `${company.slug}.localhost`)
      .send({ email: signup.email, password: signup.password })
      .expect(401);
    expect(
      codeOf(await t.http.post('/api/auth/login').send({ email: signup.email, password: signup.password }).expect(401)),
    ).toBe('INVALID_CREDENTIALS');
    // Lost the mail? Signing up again sends another link, which carries the password given with it.
    await t.http
      .post('/api/auth/signup/join')
      .send({ ...signup, password: 'another-password-entirely' })
      .expect(202);
    await t.mailbox.waitFor(signup.email, /Confirm/, 1);
    await t.http.post('/api/auth/signup/join').send(signup).expect(202);
    const mail = await t.mailbox.waitFor(signup.email, /Confirm/, 2);
    expect(mail.links[0]).toMatch(new RegExp(`^http://${company.slug}\\.localhost:3000/verify-email#token=`));
    const token = new URL(mail.links[0]).hash.replace('#token=', '');
    const confirmed = await t.http
      .post('/api/auth/email/verify')
      .set('Host', `${company.slug}.localhost`)
      .send({ token })
      .expect(200);
    expect(confirmed.body).toEqual({ joined: { id: company.id, slug: company.slug, name: 'Vandelay' } });
    const session = await t.http
      .post('/api/auth/login')
      .set('Host', `${company.slug}.localhost`)
      .send({ email: signup.email, password: signup.password })
      .expect(200);
    expect(session.body).toMatchObject({ tenant: { id: company.id }, role: 'member', user: { emailVerified: true } });

    expect(
      codeOf(
        await t.http
          .post('/api/auth/signup/join')
          .send({ ...signup, email: 'kel@vandelay.test', tenantId: tenant.id })
          .expect(403),
      ),
    ).toBe('JOIN_NOT_ALLOWED');
    // The address now has an account: the same answer as for a new one (no account enumeration); its owner is told.
    await t.http.post('/api/auth/signup/join').send(signup).expect(202);
    expect(
      (await t.mailbox.waitFor(signup.email, /already have an account/)).links.some((l) => l.includes('token=')),
    ).toBe(false);
  });

  it('gives the account the password of the link its owner confirms, never one an earlier signup chose', async () => {
    const company = await t.data.aTenant({ name: 'Kramerica' });
    await t.data.aDomain(company, 'kramerica.test', true);
    await t.data.query(`update verified_domains set auto_join = true where domain = 'kramerica.test'`);
    const victim = {
      tenantId: company.id,
      displayName: 'Cosmo Kramer',
      email: 'cosmo@kramerica.test',
      password: 'coffee-table-book-1995',
    };
    const attacker = { ...victim, displayName: 'Newman', password: 'hello-jerry-hello-newman' };
    await t.http.post('/api/auth/signup/join').send(attacker).expect(202);
    await t.http.post('/api/auth/signup/join').send(victim).expect(202);
    const link = (await t.mailbox.waitFor(victim.email, /Confirm/, 1)).links[0];
    const confirmed = await t.http
      .post('/api/auth/email/verify')
      .set('Host', `${company.slug}.localhost`)
      .send({ token: new URL(link).hash.replace('#token=', '') })
      .expect(200);
    expect(confirmed.body).toEqual({ joined: { id: company.id, slug: company.slug, name: 'Kramerica' } });
    const login = (password: string) =>
      t.http.post('/api/auth/login').set('Host', `${company.slug}.localhost`).send({ email: victim.email, password });
    expect((await login(victim.password).expect(200)).body).toMatchObject({
      user: { displayName: 'Cosmo Kramer', emailVerified: true },
    });
    expect(codeOf(await login(attacker.password).expect(401))).toBe('INVALID_CREDENTIALS');
  });

  it('can only be turned on for a verified domain', async () => {
    const claimed = (await call('post', '/domains').send({ domain: 'not-yet.test' }).expect(201))
      .body as VerifiedDomain;
    expect(codeOf(await call('patch', `/domains/${claimed.id}`).send({ autoJoin: true }).expect(409))).toBe(
      'DOMAIN_NOT_VERIFIED',
    );
  });
});
