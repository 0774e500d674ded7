import type { AuthTokenResponse, PublicPlans, SlugAvailability, TenantPlan } from '@tenantry/contracts';
import { signUp } from './support/sessions.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { errorOf } from './support/error-body.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const PNG =
  'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';
const owner = (slug: string) => ({
  tenantName: 'Wizard Co',
  slug,
  displayName: 'Wendy',
  email: `wendy@${slug}.test`,
  password: 'a long and unusual passphrase',
});

describe('the signup wizard', () => {
  it('checks an address as it is typed, with free ones close to a taken or reserved one', async () => {
    const taken = await t.data.aTenant({ slug: 'busy-co' });
    await t.data.aTenant({ slug: 'busy-co-hq' });
    const check = async (slug: string) =>
      (await t.http.get('/api/auth/signup/slug').query({ slug }).expect(200)).body as SlugAvailability;
    expect(await check('fresh-co')).toEqual({ slug: 'fresh-co', available: true, reason: null, suggestions: [] });
    expect(await check(taken.slug)).toEqual({
      slug: 'busy-co',
      available: false,
      reason: 'taken',
      suggestions: ['busy-co-team', 'busy-co-app', 'get-busy-co'],
    });
    expect(await check('admin')).toMatchObject({
      available: false,
      reason: 'reserved',
      suggestions: ['admin-hq', 'admin-team', 'admin-app'],
    });
    expect(await check('No Spaces')).toEqual({
      slug: 'no spaces',
      available: false,
      reason: 'invalid',
      suggestions: [],
    });
    expect(errorOf(await t.http.post('/api/auth/signup').send(owner('www')).expect(409))).toMatchObject({
      code: 'SLUG_TAKEN',
      details: { reason: 'reserved' },
    });
  });

  it('shows the plans with their trials, and (billed manually) starts the chosen plan as a trial with the company profile kept', async () => {
    const catalog = (await t.http.get('/api/billing/plans').expect(200)).body as PublicPlans;
    expect(catalog.mode).toBe('manual');
    expect(catalog.plans.map((p) => [p.code, p.trialDays, p.purchasable])).toEqual([
      ['free', 0, false],
      ['starter', 14, false],
      ['pro', 14, false],
      ['enterprise', 30, false],
    ]);

    const res = await signUp(t, { ...owner('wizard-co'), industry: 'Software', logo: PNG, plan: 'pro' });
    const token = (res.body as AuthTokenResponse).accessToken;
    const plan = (
      await t.http
        .get('/api/plan')
        .set('Host', 'wizard-co.localhost')
        .set('Authorization', `Bearer ${token}`)
        .expect(200)
    ).body as TenantPlan;
    expect(plan).toMatchObject({ plan: { code: 'pro' }, trial: { plan: 'pro', planAfter: 'free' } });
    const { rows } = await t.data.query(
      'select t.industry, b.logo from tenants t left join branding b on b.tenant_id = t.id where t.slug = $1',
      ['wizard-co'],
    );
    expect(rows).toEqual([{ industry: 'Software', logo: expect.stringMatching(/^[0-9a-f]{64}\.png$/) }]);
    // The wizard's logo is stored as a branding file and served (the app shows it once the plan includes custom branding).
    const tenantId = (res.body as AuthTokenResponse).tenant!.id;
    const served = await t.http
      .get(`/api/branding/assets/${tenantId}/${rows[0].logo as string}`)
      .buffer(true)
      .expect(200);
    expect(Buffer.compare(served.body as Buffer, Buffer.from(PNG.split(',')[1], 'base64'))).toBe(0);
  });

  it('takes a logo of 32 KB at most with the signup, which waits until its link is opened; a larger one is refused naming the limit', async () => {
    const logoOf = (bytes: number) => `data:image/png;base64,${Buffer.alloc(bytes, 7).toString('base64')}`;
    const refused = errorOf(
      await t.http
        .post('/api/auth/signup')
        .send({ ...owner('big-logo-co'), logo: logoOf(33 * 1024) })
        .expect(400),
    );
    expect(refused).toMatchObject({
      code: 'VALIDATION_FAILED',
      details: { fields: [{ field: 'logo', messages: ['logo must be an image of 32 KB at most'] }] },
    });
    // Within the limit the request is taken (the content check follows: these bytes are no image).
    expect(
      errorOf(
        await t.http
          .post('/api/auth/signup')
          .send({ ...owner('big-logo-co'), logo: logoOf(32 * 1024) })
          .expect(422),
      ).code,
    ).toBe('IMAGE_INVALID');
    expect(t.mailbox.to('wendy@big-logo-co.test')).toEqual([]);
  });

  it('refuses a bad profile and leaves nothing behind', async () => {
    for (const bad of [
      { logo: 'data:image/svg+xml;base64,PHN2Zz4=' },
      { logo: `data:image/png;base64,${'A'.repeat(300_000)}` },
      { industry: 'Piracy' },
      { plan: 'free plan' },
    ]) {
      expect(
        errorOf(
          await t.http
            .post('/api/auth/signup')
            .send({ ...owner('half-co'), ...bad })
            .expect(400),
        ).code,
      ).toBe('VALIDATION_FAILED');
    }
    expect(
      errorOf(
        await t.http
          .post('/api/auth/signup')
          .send({ ...owner('half-co'), plan: 'gold' })
          .expect(404),
      ).code,
    ).toBe('PLAN_NOT_FOUND');
    // Declared a PNG, but not one: refused by content, and the workspace is not half-made.
    expect(
      errorOf(
        await t.http
          .post('/api/auth/signup')
          .send({
            ...owner('half-co'),
            logo: `data:image/png;base64,${Buffer.from('<script>alert(1)</script>').toString('base64')}`,
          })
          .expect(422),
      ).code,
    ).toBe('IMAGE_INVALID');
    const { rows } = await t.data.query('select count(*)::int as n from tenants where slug = $1', ['half-co']);
    expect(rows[0].n).toBe(0);
    expect(
      (await t.data.query('select count(*)::int as n from users where email = $1', ['wendy@half-co.test'])).rows[0].n,
    ).toBe(0);
  });
});
