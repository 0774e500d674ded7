import { createSecretKey } from 'node:crypto';
import type { AuthTokenResponse, ErrorBody, SessionInfo } from '@tenantry/contracts';
import { SignJWT } from 'jose';
import type { TestTenant } from '@tenantry/testing/factories';
import { until } from '@tenantry/testing/until';
import { refreshCookieOf, signIn } from './support/sessions.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { codeOf } from './support/error-body.js';

const SECRET = 'test-secret-test-secret-test-secret-42';
let t: TestApp;
let tenant: TestTenant;
beforeAll(async () => {
  // A one-second grace window keeps the reuse tests short; production allows up to 10 s.
  t = await startTestApp({ env: { REFRESH_GRACE_SECONDS: '1' } });
  tenant = await t.data.aTenant();
});
afterAll(() => t.close());

const host = () => `${tenant.slug}.localhost`;
const refresh = (cookie: string) => t.http.post('/api/auth/refresh').set('Host', host()).set('Cookie', cookie);
const me = (token: string) => t.http.get('/api/auth/me').set('Host', host()).set('Authorization', `Bearer ${token}`);

describe('refresh tokens', () => {
  it('are set as an httpOnly, SameSite=Strict cookie limited to /api/auth, never in the body', async () => {
    const { email, password } = await t.data.aMember(tenant, 'member');
    const res = await t.http.post('/api/auth/login').set('Host', host()).send({ email, password }).expect(200);
    const setCookie = String(res.headers['set-cookie']);
    expect(setCookie).toMatch(
      /^tenantry_refresh=[A-Za-z0-9_-]{43}; Path=\/api\/auth; Expires=.+; HttpOnly; SameSite=Strict$/,
    );
    expect(JSON.stringify(res.body)).not.toContain(refreshCookieOf(res)!.split('=')[1]);
  });

  it('rotate on every use and give a new access token for the same user and tenant', async () => {
    const client = await signIn(t, await t.data.aMember(tenant, 'admin'));
    const res = await refresh(client.cookie).expect(200);
    const next = refreshCookieOf(res)!;
    expect(next).not.toBe(client.cookie);
    const body = res.body as AuthTokenResponse;
    expect(body).toMatchObject({ role: 'admin', tenant: { id: tenant.id } });
    expect(body.accessToken).not.toBe(client.accessToken);
    await me(body.accessToken).expect(200);
    await refresh(next).expect(200);
  });

  it('refuses a refresh token that was already rotated, ends the whole session and audits it', async () => {
    const member = await t.data.aMember(tenant, 'member');
    const client = await signIn(t, member);
    const rotated = refreshCookieOf(await refresh(client.cookie).expect(200))!;
    // Within the grace window a retry of the old token gets the same successor (200); past it, it is a reuse.
    const reuse = await until(
      'the grace window over',
      () => refresh(client.cookie),
      (res) => res.status !== 200,
      5_000,
    );
    expect(reuse.status).toBe(401);
    expect(codeOf(reuse)).toBe('REFRESH_TOKEN_REUSED');
    expect(refreshCookieOf(reuse)).toBe('tenantry_refresh='); // cleared
    // The thief's copy and the rightful newer token are both dead, and so is the access token.
    expect(codeOf(await refresh(rotated).expect(401))).toBe('REFRESH_TOKEN_INVALID');
    expect(codeOf(await me(client.accessToken).expect(401))).toBe('UNAUTHENTICATED');
    const { rows } = await t.data.query<{ action: string; actor_user_id: string }>(
      `select action, actor_user_id from audit_events where tenant_id = $1 and action = 'auth.refresh_reused'`,
      [tenant.id],
    );
    expect(rows).toEqual([{ action: 'auth.refresh_reused', actor_user_id: member.userId }]);
  });

  it('let a client that lost the answer retry within the grace window and get the same new token', async () => {
    const client = await signIn(t, await t.data.aMember(tenant, 'member'));
    const first = refreshCookieOf(await refresh(client.cookie).expect(200));
    const retry = refreshCookieOf(await refresh(client.cookie).expect(200));
    expect(retry).toBe(first);
    await refresh(first!).expect(200);
  });

  it('rotate once when two refreshes race with the same token', async () => {
    const client = await signIn(t, await t.data.aMember(tenant, 'member'));
    const [a, b] = await Promise.all([refresh(client.cookie), refresh(client.cookie)]);
    expect([a.status, b.status]).toEqual([200, 200]);
    expect(refreshCookieOf(a)).toBe(refreshCookieOf(b));
    const { rows } = await t.data.query<{ n: number }>(
      `select count(*)::int as n from refresh_tokens r join sessions s on s.id = r.session_id
        where s.user_id = $1`,
      [client.body.user.id],
    );
    expect(rows[0].n).toBe(2); // the first token and its one successor
  });

  it('refuses a missing or unknown refresh token with REFRESH_TOKEN_INVALID', async () => {
    expect(codeOf(await t.http.post('/api/auth/refresh').set('Host', host()).expect(401))).toBe(
      'REFRESH_TOKEN_INVALID',
    );
    expect(codeOf(await refresh('tenantry_refresh=made-up-token').expect(401))).toBe('REFRESH_TOKEN_INVALID');
  });

  it('refuse a refresh on a tenant the user does not belong to, without consuming the token', async () => {
    const client = await signIn(t, await t.data.aMember(tenant, 'member'));
    const other = await t.data.aTenant();
    const res = await t.http
      .post('/api/auth/refresh')
      .set('Host', `${other.slug}.localhost`)
      .set('Cookie', client.cookie)
      .expect(403);
    expect(codeOf(res)).toBe('NOT_A_MEMBER');
    await refresh(client.cookie).expect(200);
  });
});

describe('access tokens', () => {
  const key = createSecretKey(Buffer.from(SECRET));
  async function forged(
    edit: (jwt: SignJWT) => SignJWT,
    header: Record<string, unknown> = { alg: 'HS256', typ: 'at+jwt' },
    signingKey = key,
  ) {
    const client = await signIn(t, await t.data.aMember(tenant, 'viewer'));
    const claims = JSON.parse(Buffer.from(client.accessToken.split('.')[1], 'base64url').toString()) as Record<
      string,
      unknown
    >;
    delete claims.iat;
    delete claims.exp;
    const jwt = new SignJWT(claims)
      .setProtectedHeader(header as { alg: string })
      .setIssuedAt()
      .setExpirationTime('5m');
    return { valid: client.accessToken, forged: await edit(jwt).sign(signingKey) };
  }

  it('carry sub, tid, role, sid and jti, typed at+jwt, and live at most 15 minutes', async () => {
    const client = await signIn(t, await t.data.aMember(tenant, 'member'));
    const [header, payload] = client.accessToken
      .split('.')
      .slice(0, 2)
      .map((p) => JSON.parse(Buffer.from(p, 'base64url').toString()));
    expect(header).toEqual({ alg: 'HS256', typ: 'at+jwt' });
    expect(payload).toMatchObject({
      sub: client.body.user.id,
      tid: tenant.id,
      role: 'member',
      sid: expect.any(String),
      jti: expect.any(String),
      iss: 'tenantry',
      aud: 'tenantry-api',
    });
    expect(payload.exp - payload.iat).toBeLessThanOrEqual(900);
  });

  it('refuse tokens with the right key but the wrong type, audience, issuer or expiry', async () => {
    const cases = [
      await forged((j) => j, { alg: 'HS256', typ: 'JWT' }),
      await forged((j) => j, { alg: 'HS256' }),
      await forged((j) => j.setAudience('another-api')),
      await forged((j) => j.setIssuer('someone-else')),
      await forged((j) =>
        j.setIssuedAt(Math.floor(Date.now() / 1000) - 3600).setExpirationTime(Math.floor(Date.now() / 1000) - 60),
      ),
    ];
    for (const { valid, forged: token } of cases) {
      await me(valid).expect(200); // the test's own baseline works
      expect(codeOf(await me(token).expect(401))).toBe('UNAUTHENTICATED');
    }
  });

  it('refuse alg:none, another algorithm, and a foreign key announced by kid/jku/x5u', async () => {
    const { valid, forged: hs512 } = await forged((j) => j, { alg: 'HS512', typ: 'at+jwt' });
    const none = `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'at+jwt' })).toString('base64url')}.${valid.split('.')[1]}.`;
    const attackerKey = createSecretKey(Buffer.from('attacker-secret-attacker-secret-1234'));
    const { forged: foreign } = await forged(
      (j) => j,
      { alg: 'HS256', typ: 'at+jwt', kid: 'attacker', jku: 'https://evil.test/jwks', x5u: 'https://evil.test/cert' },
      attackerKey,
    );
    for (const token of [hs512, none, foreign]) expect(codeOf(await me(token).expect(401))).toBe('UNAUTHENTICATED');
  });
});

describe('logout', () => {
  it('ends the session of the cookie: its refresh token and access tokens stop working', async () => {
    const client = await signIn(t, await t.data.aMember(tenant, 'member'));
    const res = await t.http.post('/api/auth/logout').set('Host', host()).set('Cookie', client.cookie).expect(204);
    expect(refreshCookieOf(res)).toBe('tenantry_refresh=');
    await refresh(client.cookie).expect(401);
    await me(client.accessToken).expect(401);
  });

  it('logout-all ends every session of the user on every device', async () => {
    const member = await t.data.aMember(tenant, 'member');
    const laptop = await signIn(t, member);
    const phone = await signIn(t, member);
    await t.http
      .post('/api/auth/logout-all')
      .set('Host', host())
      .set('Authorization', `Bearer ${laptop.accessToken}`)
      .expect(204);
    for (const device of [laptop, phone]) {
      await refresh(device.cookie).expect(401);
      await me(device.accessToken).expect(401);
    }
  });
});

describe('sessions of a user', () => {
  it('lists the live devices, marks the current one, and revokes another one', async () => {
    const member = await t.data.aMember(tenant, 'member');
    const laptop = await signIn(t, member, { 'User-Agent': 'Laptop browser' });
    const phone = await signIn(t, member, { 'User-Agent': 'Phone browser' });
    const list = (
      await t.http
        .get('/api/auth/sessions')
        .set('Host', host())
        .set('Authorization', `Bearer ${laptop.accessToken}`)
        .expect(200)
    ).body as SessionInfo[];
    expect(list.map((s) => [s.userAgent, s.current]).sort()).toEqual([
      ['Laptop browser', true],
      ['Phone browser', false],
    ]);
    const phoneSession = list.find((s) => !s.current)!;
    await t.http
      .delete(`/api/auth/sessions/${phoneSession.id}`)
      .set('Host', host())
      .set('Authorization', `Bearer ${laptop.accessToken}`)
      .expect(204);
    await refresh(phone.cookie).expect(401);
    await me(phone.accessToken).expect(401);
    await me(laptop.accessToken).expect(200);
  });

  it('cannot revoke a session of someone else (404 SESSION_NOT_FOUND)', async () => {
    const mine = await signIn(t, await t.data.aMember(tenant, 'admin'));
    const theirs = await signIn(t, await t.data.aMember(tenant, 'member'));
    const sid = JSON.parse(Buffer.from(theirs.accessToken.split('.')[1], 'base64url').toString()).sid as string;
    const res = await t.http
      .delete(`/api/auth/sessions/${sid}`)
      .set('Host', host())
      .set('Authorization', `Bearer ${mine.accessToken}`)
      .expect(404);
    expect(codeOf(res)).toBe('SESSION_NOT_FOUND');
    await refresh(theirs.cookie).expect(200);
  });
});

describe('password change', () => {
  it('needs the current password, refuses weak new ones, and ends the other sessions', async () => {
    const member = await t.data.aMember(tenant, 'member');
    const here = await signIn(t, member);
    const elsewhere = await signIn(t, member);
    const change = (body: object) =>
      t.http
        .post('/api/auth/password')
        .set('Host', host())
        .set('Authorization', `Bearer ${here.accessToken}`)
        .send(body);

    expect(
      codeOf(await change({ currentPassword: 'not my password', newPassword: 'a brand new passphrase' }).expect(403)),
    ).toBe('WRONG_PASSWORD');
    const weak = await change({ currentPassword: member.password, newPassword: 'qwerty123456' }).expect(400);
    expect((weak.body as ErrorBody).error.details?.fields).toEqual([
      { field: 'newPassword', messages: [expect.stringMatching(/most common passwords/)] },
    ]);

    await change({ currentPassword: member.password, newPassword: 'a brand new passphrase' }).expect(204);
    await me(here.accessToken).expect(200);
    await me(elsewhere.accessToken).expect(401);
    await refresh(elsewhere.cookie).expect(401);
    await t.http
      .post('/api/auth/login')
      .set('Host', host())
      .send({ email: member.email, password: member.password })
      .expect(401);
    await t.http
      .post('/api/auth/login')
      .set('Host', host())
      .send({ email: member.email, password: 'a brand new passphrase' })
      .expect(200);
  });
});
