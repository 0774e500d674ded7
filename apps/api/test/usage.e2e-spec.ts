import { getQueueToken } from '@nestjs/bullmq';
import { REDIS } from '@tenantry/api-core';
import { UsageMeter } from '@tenantry/api-licensing';
import type { ErrorBody, TenantPlan } from '@tenantry/contracts';
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import request from 'supertest';
import { untilQueueIdle } from '@tenantry/testing/until';
import { signIn } from './support/sessions.js';
import { startTestApp, type TestApp } from './support/test-app.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
  await t.data.query(
    `insert into plans (code, name, seats, monthly_limits) values ('metered', 'Metered', 10, '{"api_calls": 5, "contacts": 2}')`,
  );
  await t.data.query(
    `insert into plans (code, name, seats, monthly_limits, rate_limit_per_minute) values ('metered-limited', 'Metered, limited', 10, '{"api_calls": 5}', 100)`,
  );
});
afterAll(() => t.close());

const counters = async (tenantId: string) =>
  (
    await t.data.query<{ metric: string; count: number }>(
      'select metric, count::int as count from usage_counters where tenant_id = $1 order by metric',
      [tenantId],
    )
  ).rows;

describe('usage metering and monthly limits', () => {
  it('counts API-key calls and new contacts, refuses past the month, and flushes each count to Postgres exactly once', async () => {
    const tenant = await t.data.aTenant({ plan: 'metered' });
    const host = `${tenant.slug}.localhost`;
    const adminMember = await t.data.aMember(tenant, 'admin');
    const adminEmail = adminMember.email;
    const admin = (await signIn(t, adminMember)).accessToken;
    const key = await t.data.anApiKey(tenant, ['contacts.read']);
    const viaKey = () => t.http.get('/api/contacts').set('Host', host).set('Authorization', `Bearer ${key.secret}`);
    const asAdmin = () => t.http.post('/api/contacts').set('Host', host).set('Authorization', `Bearer ${admin}`);

    for (let i = 0; i < 5; i++) await viaKey().expect(200); // the 5th call of 5 passes
    const refused = await viaKey().expect(429);
    expect((refused.body as ErrorBody).error).toMatchObject({
      code: 'USAGE_LIMIT_REACHED',
      details: { metric: 'api_calls', used: 5, limit: 5, resetsAt: expect.stringMatching(/-01T00:00:00.000Z$/) },
    });
    await t.http.get('/api/contacts').set('Host', host).set('Authorization', `Bearer ${admin}`).expect(200); // people are not metered

    await asAdmin().send({ name: 'One' }).expect(201);
    await asAdmin().send({ name: 'Two' }).expect(201);
    expect((await asAdmin().send({ name: 'Three' }).expect(402)).body.error).toMatchObject({
      code: 'PLAN_LIMIT_REACHED',
      details: { metric: 'contacts', used: 2, limit: 2 },
    });

    // Admins heard at 80 % (4 of 5) and at 100 % of each allowance, once each (mail is queued: any order).
    await t.mailbox.waitFor(adminEmail, /this month's/, 2);
    await untilQueueIdle(t.app.get<Queue>(getQueueToken('mail'))); // every mail queued so far is sent: nothing more comes
    expect(
      t.mailbox
        .to(adminEmail)
        .map((m) => m.subject)
        .filter((x) => x.includes("this month's"))
        .sort(),
    ).toEqual([
      `${tenant.name} has used 100% of this month's API calls`,
      `${tenant.name} has used 100% of this month's new contacts`,
      `${tenant.name} has used 80% of this month's API calls`,
    ]);

    const meter = t.app.get(UsageMeter);
    expect(await counters(tenant.id)).toEqual([]);
    await meter.flush();
    await meter.flush(); // nothing new: nothing counted twice
    expect(await counters(tenant.id)).toEqual([
      { metric: 'api_calls', count: 5 },
      { metric: 'contacts', count: 2 },
    ]);

    const plan = (await t.http.get('/api/plan').set('Host', host).set('Authorization', `Bearer ${admin}`).expect(200))
      .body as TenantPlan;
    expect(plan.usage.api_calls).toMatchObject({
      used: 5,
      limit: 5,
      days: [{ day: new Date().toISOString().slice(0, 10), count: 5 }],
    });
    expect(plan.usage.contacts).toMatchObject({ used: 2, limit: 2 });
  });

  it('applies a batch a crashed flush left behind once, and rebuilds the month from Postgres when Redis lost it', async () => {
    const tenant = await t.data.aTenant({ plan: 'metered' });
    const host = `${tenant.slug}.localhost`;
    const key = await t.data.anApiKey(tenant, ['contacts.read']);
    for (let i = 0; i < 3; i++)
      await t.http.get('/api/contacts').set('Host', host).set('Authorization', `Bearer ${key.secret}`).expect(200);
    const meter = t.app.get(UsageMeter);
    const redis = t.app.get<Redis>(REDIS);
    await meter.flush();
    expect(await counters(tenant.id)).toEqual([{ metric: 'api_calls', count: 3 }]);

    // A flush that committed its batch and died before deleting it: the next flush must not count it again.
    const batch = '6f1c2a4e-1b2c-4d3e-8f90-1a2b3c4d5e6f';
    await t.data.query('insert into usage_flushes (tenant_id, batch_id) values ($1, $2)', [tenant.id, batch]);
    await redis.hset(`usage:flushing:${tenant.id}:${batch}`, `api_calls|${new Date().toISOString().slice(0, 10)}`, '3');
    await redis.sadd('usage:batches', `${tenant.id}:${batch}`);
    await meter.flush();
    expect(await counters(tenant.id)).toEqual([{ metric: 'api_calls', count: 3 }]);
    expect(await redis.exists(`usage:flushing:${tenant.id}:${batch}`)).toBe(0);

    // Redis restarted (its counts are gone): the month is rebuilt from what was flushed.
    await redis.del(`usage:month:${tenant.id}:api_calls:${new Date().toISOString().slice(0, 7)}`);
    await t.http.get('/api/contacts').set('Host', host).set('Authorization', `Bearer ${key.secret}`).expect(200); // 4th
    await t.http.get('/api/contacts').set('Host', host).set('Authorization', `Bearer ${key.secret}`).expect(200); // 5th
    expect(
      (
        (await t.http.get('/api/contacts').set('Host', host).set('Authorization', `Bearer ${key.secret}`).expect(429))
          .body as ErrorBody
      ).error.details,
    ).toMatchObject({ used: 5 });
  });

  it('does not spend the allowance on API calls the feature guard refuses (the tenant without api_access)', async () => {
    const tenant = await t.data.aTenant({ plan: 'metered' });
    await t.data.query(`update tenants set feature_overrides = '{"api_access": {"enabled": false}}' where id = $1`, [
      tenant.id,
    ]);
    const key = await t.data.anApiKey(tenant, ['contacts.read']);
    for (let i = 0; i < 7; i++) {
      const res = await t.http
        .get('/api/contacts')
        .set('Host', `${tenant.slug}.localhost`)
        .set('Authorization', `Bearer ${key.secret}`)
        .expect(403);
      expect((res.body as ErrorBody).error.code).toBe('FEATURE_DISABLED');
    }
    // The rate limit is the last guard: a call the feature guard refused was never counted.
    const redis = t.app.get<Redis>(REDIS);
    const month = `usage:month:${tenant.id}:api_calls:${new Date().toISOString().slice(0, 7)}`;
    expect(await redis.get(month)).toBeNull();
    await t.app.get(UsageMeter).flush();
    expect(await counters(tenant.id)).toEqual([]);
  });
});

describe('usage limits under concurrency', () => {
  it('lets exactly the allowance through when 20 API calls race for 5', async () => {
    const tenant = await t.data.aTenant({ plan: 'metered' });
    const key = await t.data.anApiKey(tenant, ['contacts.read']);
    const results = await Promise.all(
      Array.from({ length: 20 }, () =>
        t.http
          .get('/api/contacts')
          .set('Host', `${tenant.slug}.localhost`)
          .set('Authorization', `Bearer ${key.secret}`),
      ),
    );
    expect(results.filter((r) => r.status === 200)).toHaveLength(5);
    expect(results.filter((r) => r.status === 429)).toHaveLength(15);
  });

  it('lets exactly the allowance through when 40 API calls race for 5 on two instances, each call counted once in its rate window', async () => {
    const tenant = await t.data.aTenant({ plan: 'metered-limited' });
    const key = await t.data.anApiKey(tenant, ['contacts.read']);
    const second = await startTestApp({ sameDataAs: t });
    try {
      const call = (app: TestApp) =>
        request(app.app.getHttpServer())
          .get('/api/contacts')
          .set('Host', `${tenant.slug}.localhost`)
          .set('Authorization', `Bearer ${key.secret}`);
      const results = await Promise.all(Array.from({ length: 40 }, (_, i) => call(i % 2 ? second : t)));
      expect(results.filter((r) => r.status === 200)).toHaveLength(5);
      const refused = results.filter((r) => r.status !== 200);
      expect(refused.map((r) => (r.body as ErrorBody).error.code)).toEqual(Array(35).fill('USAGE_LIMIT_REACHED'));
      expect(refused.map((r) => (r.body as ErrorBody).error.details)).toEqual(
        Array(35).fill(expect.objectContaining({ used: 5, limit: 5 })),
      );
      // Refused or not, every call took its own place in the minute's window: 99 down to 60 left.
      expect(results.map((r) => Number(r.headers['ratelimit-remaining'])).sort((x, y) => y - x)).toEqual(
        Array.from({ length: 40 }, (_, i) => 99 - i),
      );
      expect(
        await t.app.get<Redis>(REDIS).get(`usage:month:${tenant.id}:api_calls:${new Date().toISOString().slice(0, 7)}`),
      ).toBe('5');
    } finally {
      await second.close();
    }
  });
});
