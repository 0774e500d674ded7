import type { AuthTokenResponse, MeResponse } from '@tenantry/contracts';
import type { TestTenant } from '@tenantry/testing/factories';
import { linkTokenOf as tokenOf, signIn, signUp } from './support/sessions.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { codeOf } from './support/error-body.js';

let t: TestApp;
let tenant: TestTenant;
beforeAll(async () => {
  t = await startTestApp({ env: { TRUST_PROXY: '1', SIGNUP_MAX_PER_IP: '3' } });
  tenant = await t.data.aTenant({ name: 'Acme Corporation' });
});
afterAll(() => t.close());

const host = () => `${tenant.slug}.localhost`;
let address = 1;
const forgot = (email: string) =>
  t.http
    .post('/api/auth/password/forgot')
    .set('Host', host())
    .set('X-Forwarded-For', `10.1.0.${address++}`)
    .send({ email });
const reset = (token: string, newPassword: string) =>
  t.http.post('/api/auth/password/reset').set('Host', host()).send({ token, newPassword });

describe('password reset', () => {
  it('mails a member a 30-minute single-use link; the new password works and every session ends', async () => {
    const member = await t.data.aMember(tenant, 'member');
    const session = await signIn(t, member);
    await forgot(member.email.toUpperCase()).expect(202);
    const mail = await t.mailbox.waitFor(member.email, /Reset your Acme Corporation password/);
    expect(mail.text).toMatch(/30 minutes/);
    expect(mail.links[0]).toMatch(new RegExp(`^http://${tenant.slug}\\.localhost:3000/reset-password#token=`));
    const token = tokenOf(mail.links[0]);

    expect(codeOf(await reset(token, 'qwerty123456').expect(400))).toBe('VALIDATION_FAILED');
    await reset(token, 'my brand new passphrase').expect(204);
    expect(codeOf(await reset(token, 'yet another passphrase').expect(400))).toBe('TOKEN_INVALID');
    await t.http
      .post('/api/auth/login')
      .set('Host', host())
      .send({ email: member.email, password: 'my brand new passphrase' })
      .expect(200);
    await t.http.post('/api/auth/refresh').set('Host', host()).set('Cookie', session.cookie).expect(401);
    await t.http
      .get('/api/auth/me')
      .set('Host', host())
      .set('Authorization', `Bearer ${session.accessToken}`)
      .expect(401);
  });

  it('answers the same for an unknown address, a non-member and a member, and mails only the member', async () => {
    const member = await t.data.aMember(tenant, 'member');
    const outsider = await t.data.aMember(await t.data.aTenant(), 'owner');
    const answers = [await forgot('nobody@nowhere.test'), await forgot(outsider.email), await forgot(member.email)];
    expect(answers.map((r) => [r.status, r.text])).toEqual([
      [202, ''],
      [202, ''],
      [202, ''],
    ]);
    await t.mailbox.waitFor(member.email, /Reset/);
    expect(t.mailbox.to(outsider.email)).toEqual([]);
    expect(t.mailbox.to('nobody@nowhere.test')).toEqual([]);
  });

  it('refuses an expired link, and ends older links when a new one is asked for', async () => {
    const member = await t.data.aMember(tenant, 'member');
    await forgot(member.email).expect(202);
    const first = tokenOf((await t.mailbox.waitFor(member.email, /Reset/)).links[0]);
    await forgot(member.email).expect(202);
    const second = tokenOf((await t.mailbox.waitFor(member.email, /Reset/, 1)).links[0]);
    expect(codeOf(await reset(first, 'my brand new passphrase').expect(400))).toBe('TOKEN_INVALID');
    await t.data.query(`update user_tokens set expires_at = now() - interval '1 second' where user_id = $1`, [
      member.userId,
    ]);
    expect(codeOf(await reset(second, 'my brand new passphrase').expect(400))).toBe('TOKEN_INVALID');
  });

  it('limits requests per address: the 4th within an hour gets 429', async () => {
    const member = await t.data.aMember(tenant, 'member');
    for (let i = 0; i < 3; i++) await forgot(member.email).expect(202);
    const limited = await forgot(member.email).expect(429);
    expect(codeOf(limited)).toBe('TOO_MANY_ATTEMPTS');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
  });
});

describe('signup', () => {
  it('is limited per address of origin whatever the email: past it, a new address, a registered one and a join get the same 429', async () => {
    const from = (ip: string) => ({
      signup: (email: string) =>
        t.http
          .post('/api/auth/signup')
          .set('X-Forwarded-For', ip)
          .send({
            tenantName: 'Flood Co',
            slug: `flood-${address++}`,
            displayName: 'Flo',
            email,
            password: 'a long and unusual passphrase',
          }),
      join: (email: string) =>
        t.http
          .post('/api/auth/signup/join')
          .set('X-Forwarded-For', ip)
          .send({ tenantId: tenant.id, displayName: 'Flo', email, password: 'a long and unusual passphrase' }),
    });
    const flooder = from('10.2.0.1');
    for (let i = 0; i < 3; i++) await flooder.signup(`flood-${i}@fresh.test`).expect(202);
    const member = await t.data.aMember(tenant, 'member');
    const refused = [
      await flooder.signup('flood-new@fresh.test'),
      await flooder.signup(member.email),
      await flooder.join('flood-join@fresh.test'),
    ];
    expect(refused.map((r) => [r.status, codeOf(r)])).toEqual(Array(3).fill([429, 'TOO_MANY_ATTEMPTS']));
    for (const r of refused) expect(Number(r.headers['retry-after'])).toBeGreaterThan(3000);
    await from('10.2.0.2').signup('flood-new@fresh.test').expect(202);
    await t.mailbox.waitFor('flood-new@fresh.test', /create your workspace/);
    expect(t.mailbox.to(member.email)).toEqual([]);
  });
});

describe('email verification', () => {
  it("is the signup link itself: opening it confirms the new owner's address", async () => {
    const body = (
      await signUp(t, {
        tenantName: 'Verify Co',
        slug: 'verify-co',
        displayName: 'Vera',
        email: 'vera@verify.test',
        password: 'a long and unusual passphrase',
      })
    ).body as AuthTokenResponse;
    expect(body.user.emailVerified).toBe(true);
    expect(t.mailbox.to('vera@verify.test').map((m) => m.subject)).toEqual([
      'Confirm your email address to create your workspace',
    ]);
  });

  it('can be asked for again by the signed-in user, and the link marks the address verified once', async () => {
    const member = await t.data.aMember(tenant, 'member');
    await t.data.query('update users set email_verified_at = null where id = $1', [member.userId]);
    const { accessToken } = await signIn(t, member);
    await t.http
      .post('/api/auth/email/verification')
      .set('Host', host())
      .set('Authorization', `Bearer ${accessToken}`)
      .expect(202);
    const mail = await t.mailbox.waitFor(member.email, /Confirm your email/);
    expect(mail.links[0]).toMatch(new RegExp(`^http://${tenant.slug}\\.localhost:3000/verify-email#token=`));
    const token = tokenOf(mail.links[0]);
    expect((await t.http.post('/api/auth/email/verify').send({ token }).expect(200)).body).toEqual({ joined: null });
    expect(codeOf(await t.http.post('/api/auth/email/verify').send({ token }).expect(400))).toBe('TOKEN_INVALID');
    const me = await t.http
      .get('/api/auth/me')
      .set('Host', host())
      .set('Authorization', `Bearer ${accessToken}`)
      .expect(200);
    expect((me.body as MeResponse).user.emailVerified).toBe(true);
  });
});
