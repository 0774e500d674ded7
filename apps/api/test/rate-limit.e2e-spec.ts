import type { ErrorBody } from '@tenantry/contracts';
import type { TestTenant } from '@tenantry/testing/factories';
import { signIn } from './support/sessions.js';
import { startTestApp, type TestApp } from './support/test-app.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
  await t.data.query(`insert into plans (code, name, seats, rate_limit_per_minute) values ('tiny', 'Tiny', 10, 5)`);
});
afterAll(() => t.close());

const contacts = (tenant: TestTenant, credential: string) =>
  t.http.get('/api/contacts').set('Host', `${tenant.slug}.localhost`).set('Authorization', `Bearer ${credential}`);

describe('rate limit by plan', () => {
  it("answers 429 with Retry-After past the plan's requests a minute, while another tenant's requests and the tenant's API key go on", async () => {
    const small = await t.data.aTenant({ plan: 'tiny' });
    const big = await t.data.aTenant({ plan: 'pro' });
    const smallToken = (await signIn(t, await t.data.aMember(small, 'admin'))).accessToken; // the sign-in is request 1 of 5
    const bigToken = (await signIn(t, await t.data.aMember(big, 'member'))).accessToken;
    const key = await t.data.anApiKey(small, ['contacts.read']);

    const remaining: string[] = [];
    for (let i = 0; i < 4; i++) {
      const res = await contacts(small, smallToken).expect(200);
      expect(res.headers['ratelimit-limit']).toBe('5');
      remaining.push(res.headers['ratelimit-remaining']);
    }
    expect(remaining).toEqual(['3', '2', '1', '0']);
    const refused = await contacts(small, smallToken).expect(429);
    expect((refused.body as ErrorBody).error).toMatchObject({
      code: 'RATE_LIMITED',
      details: { limit: 5, windowSeconds: 60 },
    });
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(refused.headers['retry-after'])).toBeLessThanOrEqual(60);

    const others = await Promise.all(Array.from({ length: 20 }, () => contacts(big, bigToken)));
    expect(others.map((r) => r.status)).toEqual(Array(20).fill(200));
    await contacts(small, key.secret).expect(200); // a key has its own bucket
  });
});
