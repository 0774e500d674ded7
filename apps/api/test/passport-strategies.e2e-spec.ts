import { createHmac, randomUUID } from 'node:crypto';
import { Controller, Get, HttpCode, Injectable, Module, Post, Res, UseGuards } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import {
  AccessTokenService,
  AppPassport,
  AuthModule,
  AuthService,
  Identity,
  RefreshCookie,
  SignInGuard,
  type VerifiedIdentity,
} from '@tenantry/api-auth';
import { AppError, Public, REDIS } from '@tenantry/api-core';
import { type AuthTokenResponse, ErrorCode } from '@tenantry/contracts';
import type { Request, Response } from 'express';
import type { Redis } from 'ioredis';
import passport from 'passport';
import type { TestTenant } from '@tenantry/testing/factories';
import { AppModule } from '../src/app.module.js';
import { RedisProxy } from '@tenantry/testing/redis-proxy';
import { until } from '@tenantry/testing/until';
import { refreshCookieOf } from './support/sessions.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { codeOf } from './support/error-body.js';

/*
 * A sign-in method added the way a team adds OIDC, Google or Entra ID: a
 * Passport strategy and its sign-in route in a module of its own, nothing
 * changed in the guard or the auth module. The stand-in provider vouches for
 * an account with `<userId>.<HMAC>`, signed with a secret it shares with us.
 */
const PROVIDER_SECRET = 'test-provider-secret';
const vouchFor = (userId: string) =>
  `${userId}.${createHmac('sha256', PROVIDER_SECRET).update(userId).digest('base64url')}`;
const PROVIDER = 'https://provider.test';
const BLOCKED = '00000000-0000-4000-8000-00000000b10c';

type VerifyAssertion = (assertion: string, done: (error: unknown, identity?: VerifiedIdentity | null) => void) => void;

/** The provider's library: reads the assertion posted back to us (as passport-custom or an OIDC strategy would). */
class AssertionStrategy extends passport.Strategy {
  constructor(private readonly verify: VerifyAssertion) {
    super();
  }

  override authenticate(req: Request): void {
    // The login route: off to the provider, which posts the assertion back to the callback.
    if (req.method === 'GET') return this.redirect(`${PROVIDER}/authorize?return=/api/auth/test-provider/callback`);
    const assertion = (req.body as { assertion?: unknown } | undefined)?.assertion;
    if (typeof assertion !== 'string') return this.fail(401);
    this.verify(assertion, (error, identity) =>
      error ? this.error(error as Error) : identity ? this.success(identity) : this.fail(401),
    );
  }
}

@Injectable()
class TestProviderStrategy extends PassportStrategy(AssertionStrategy, 'test-provider') {
  constructor(appPassport: AppPassport) {
    super();
    appPassport.use('test-provider', this);
  }

  validate(assertion: string): VerifiedIdentity | null {
    const [userId, signature] = assertion.split('.');
    if (!userId || vouchFor(userId) !== `${userId}.${signature}`) return null;
    // A refusal of the method's own (say, the provider reports the account locked) answers as itself.
    if (userId === BLOCKED) throw new AppError(ErrorCode.FORBIDDEN, { reason: 'locked at the provider' });
    return { userId, method: 'test-provider' };
  }
}

@Controller('auth/test-provider')
class TestProviderController {
  constructor(
    private readonly auth: AuthService,
    private readonly cookie: RefreshCookie,
  ) {}

  @Public()
  @UseGuards(SignInGuard('test-provider'))
  @Get('login')
  login(): void {} // the strategy answers: a redirect to the provider

  @Public()
  @UseGuards(SignInGuard('test-provider'))
  @Post('callback')
  @HttpCode(200)
  async callback(
    @Identity() identity: VerifiedIdentity,
    @Res({ passthrough: true }) res: Response,
  ): Promise<AuthTokenResponse> {
    return this.cookie.issue(res, await this.auth.signInVerified(identity));
  }
}

@Module({ imports: [AppModule, AuthModule], providers: [TestProviderStrategy], controllers: [TestProviderController] })
class AppWithTestProvider {}

let t: TestApp;
let tenant: TestTenant;
beforeAll(async () => {
  t = await startTestApp({ rootModule: AppWithTestProvider });
  tenant = await t.data.aTenant();
});
afterAll(() => t.close());

const host = () => `${tenant.slug}.localhost`;
const callback = (assertion?: string) =>
  t.http
    .post('/api/auth/test-provider/callback')
    .set('Host', host())
    .send(assertion === undefined ? {} : { assertion });

describe('a sign-in method added as a Passport strategy', () => {
  it('signs a member in: the access token works on the API and the refresh cookie renews it', async () => {
    const member = await t.data.aMember(tenant, 'member');
    const res = await callback(vouchFor(member.userId)).expect(200);
    const body = res.body as AuthTokenResponse;
    expect(body).toMatchObject({
      role: 'member',
      tenant: { id: tenant.id },
      user: { id: member.userId, email: member.email },
    });

    const contacts = await t.http
      .get('/api/contacts?limit=20')
      .set('Host', host())
      .set('Authorization', `Bearer ${body.accessToken}`)
      .expect(200);
    expect(contacts.body).toMatchObject({ items: expect.any(Array) });
    const me = await t.http
      .get('/api/auth/me')
      .set('Host', host())
      .set('Authorization', `Bearer ${body.accessToken}`)
      .expect(200);
    expect(me.body).toMatchObject({ user: { id: member.userId }, role: 'member' });

    const renewed = await t.http
      .post('/api/auth/refresh')
      .set('Host', host())
      .set('Cookie', refreshCookieOf(res)!)
      .expect(200);
    expect((renewed.body as AuthTokenResponse).user.id).toBe(member.userId);
  });

  it("starts at the provider: the login route is the strategy's redirect", async () => {
    const res = await t.http.get('/api/auth/test-provider/login').set('Host', host()).expect(302);
    expect(res.headers.location).toBe(`${PROVIDER}/authorize?return=/api/auth/test-provider/callback`);
  });

  it('answers a refused or missing assertion with 401 UNAUTHENTICATED and our error body, and starts no session', async () => {
    const member = await t.data.aMember(tenant, 'member');
    for (const assertion of [`${member.userId}.forged`, 'nonsense', undefined]) {
      const res = await callback(assertion).expect(401);
      expect(codeOf(res)).toBe('UNAUTHENTICATED');
      expect(res.body).toEqual({
        error: expect.objectContaining({ code: 'UNAUTHENTICATED', message: expect.any(String) }),
      });
      expect(refreshCookieOf(res)).toBeUndefined();
    }
  });

  it("answers the method's own refusal as itself", async () => {
    const res = await callback(vouchFor(BLOCKED)).expect(403);
    expect(codeOf(res)).toBe('FORBIDDEN');
  });

  it('signs nobody in to a tenant they are not a member of', async () => {
    const elsewhere = await t.data.aMember(await t.data.aTenant(), 'owner');
    const res = await callback(vouchFor(elsewhere.userId)).expect(403);
    expect(codeOf(res)).toBe('NOT_A_MEMBER');
    expect(refreshCookieOf(res)).toBeUndefined();
  });
});

describe('the global guard', () => {
  it('answers 503 UNHEALTHY while Redis is down, for a token it verified before and a new one: never a pass, never a plain 401', async () => {
    const member = await t.data.aMember(tenant, 'member');
    // Its listening connection goes through a relay the test can cut.
    const proxy = await new RedisProxy().start();
    const broken = await startTestApp({ sameDataAs: t, env: { REDIS_URL: proxy.url } });
    try {
      const seen = await broken.login({ ...member, tenant });
      const me = (token: string) =>
        broken.http.get('/api/auth/me').set('Host', host()).set('Authorization', `Bearer ${token}`);
      await me(seen).expect(200);
      const fresh = await broken.app
        .get(AccessTokenService)
        .sign({ sub: member.userId, sid: randomUUID(), tid: tenant.id, role: 'member' });
      // This instance loses Redis: its commands fail at once (no offline queue), and it stops hearing revocations.
      broken.app.get<Redis>(REDIS).disconnect();
      proxy.cutListeners();
      await until(
        'the instance noticing',
        () => me(seen),
        (res) => res.status !== 200,
        5_000,
      );
      for (const token of [seen, fresh]) expect(codeOf(await me(token).expect(503))).toBe('UNHEALTHY');
    } finally {
      await broken.close();
      await proxy.stop();
    }
  });
});
