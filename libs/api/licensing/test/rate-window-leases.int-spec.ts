import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { LEASE_SHARE, RateWindowLeases } from '../src/rate-window-leases.js';

// Two API instances share one Redis: each counts in its own memory.
let redis: Redis;
let instances: RateWindowLeases[];
beforeAll(() => {
  redis = new Redis({ keyPrefix: `leases-${randomUUID()}:` });
  instances = [new RateWindowLeases(redis), new RateWindowLeases(redis)];
});
afterAll(() => redis.quit());

/** `count` requests at once, alternating between the instances; how many each admitted. */
async function flood(bucket: string, limit: number, count: number) {
  const answers = await Promise.all(
    Array.from({ length: count }, (_, i) => instances[i % 2].admit(bucket, limit, 60_000)),
  );
  return answers.filter((a) => a.admitted).length;
}

describe('rate windows counted in leases', () => {
  it('never admits more than the limit on two instances, and refuses at most one share early', async () => {
    const limit = 1_000; // shares of 10
    const admitted = await flood(`rate:${randomUUID()}`, limit, 1_500);
    expect(admitted).toBeLessThanOrEqual(limit);
    expect(admitted).toBeGreaterThanOrEqual(limit - limit / LEASE_SHARE);
  });

  it('counts a small limit request by request, exactly, with the remaining count in every answer', async () => {
    const bucket = `rate:${randomUUID()}`;
    expect(await flood(bucket, 150, 200)).toBe(150);
    const refused = await instances[0].admit(bucket, 150, 60_000);
    expect(refused).toMatchObject({ admitted: false, remaining: 0 });
    expect(refused.resetMs).toBeGreaterThan(55_000);

    const fresh = `rate:${randomUUID()}`;
    const remaining = [];
    for (let i = 0; i < 3; i++) remaining.push((await instances[i % 2].admit(fresh, 5, 60_000)).remaining);
    expect(remaining).toEqual([4, 3, 2]);
  });

  it('does not spend a share taken under another limit (the plan changed)', async () => {
    const bucket = `rate:${randomUUID()}`;
    expect((await instances[0].admit(bucket, 1_000, 60_000)).admitted).toBe(true); // a share of 10 taken, 9 left here
    const downgraded = await instances[0].admit(bucket, 100, 60_000);
    expect(downgraded).toMatchObject({ admitted: true, remaining: 100 - 11 });
  });

  it('starts a new window once the old one ends', async () => {
    const bucket = `rate:${randomUUID()}`;
    expect(await flood(bucket, 3, 5)).toBe(3);
    await redis.del(bucket); // the window ends (its key expires after a minute)
    expect((await instances[1].admit(bucket, 3, 60_000)).admitted).toBe(true);
  });

  it('answers 503 while Redis is unreachable and a share is needed', async () => {
    const down = new Redis({ port: 1, lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    await expect(new RateWindowLeases(down).admit('rate:any', 100, 60_000)).rejects.toMatchObject({
      code: 'UNHEALTHY',
    });
    down.disconnect();
  });
});
