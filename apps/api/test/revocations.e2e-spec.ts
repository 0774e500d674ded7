import { REDIS } from '@tenantry/api-core';
import type { Redis } from 'ioredis';
import request from 'supertest';
import type { TestTenant } from '@tenantry/testing/factories';
import { RedisProxy } from '@tenantry/testing/redis-proxy';
import { until } from '@tenantry/testing/until';
import { type SignedInClient, signIn } from './support/sessions.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { codeOf } from './support/error-body.js';

// Two instances of the API on one database and one Redis, as replicas run. The second reaches
// Redis through a relay: the test can cut its listening connection and see every command it sends.
let a: TestApp;
let b: TestApp;
let proxy: RedisProxy;
let monitor: Redis;
let tenant: TestTenant;
const seen: { port: number; args: string[] }[] = [];
beforeAll(async () => {
  a = await startTestApp();
  proxy = await new RedisProxy().start();
  b = await startTestApp({ sameDataAs: a, env: { REDIS_URL: proxy.url } });
  tenant = await a.data.aTenant();
  monitor = await a.app.get<Redis>(REDIS).duplicate({ keyPrefix: undefined }).monitor();
  monitor.on('monitor', (_time: string, args: string[], source: string) =>
    seen.push({ port: Number(source.split(':').pop()), args }),
  );
});
afterAll(async () => {
  monitor.disconnect();
  await b.close();
  await proxy.stop();
  await a.close();
});

const host = () => `${tenant.slug}.localhost`;
const logout = (client: SignedInClient) =>
  a.http.post('/api/auth/logout').set('Host', host()).set('Cookie', client.cookie).expect(204);

/** Calls B with the token; answers its status and how many revocation reads B sent Redis meanwhile. */
async function onB(client: SignedInClient): Promise<{ status: number; revocationReads: number }> {
  seen.length = 0;
  const res = await request(b.app.getHttpServer())
    .get('/api/auth/me')
    .set('Host', host())
    .set('Authorization', `Bearer ${client.accessToken}`);
  // Redis reports commands in the order it ran them: once this marker is seen, all of B's are.
  const marker = `marker-${Math.random()}`;
  await a.app.get<Redis>(REDIS).echo(marker);
  await until(
    'the monitor caught up',
    async () => seen.some(({ args }) => args.includes(marker)),
    (done) => done,
    5_000,
  );
  const ports = proxy.ports();
  const revocationReads = seen.filter(
    ({ port, args }) => ports.has(port) && args.some((arg) => arg.includes(':auth:')),
  ).length;
  return { status: res.status, revocationReads };
}

it('refuses a token revoked on another instance at once, answering from memory without reading Redis per request', async () => {
  const client = await signIn(a, await a.data.aMember(tenant, 'member'));
  await until(
    'B answering from memory',
    () => onB(client),
    ({ status, revocationReads }) => status === 200 && revocationReads === 0,
    10_000,
  );
  expect(await onB(client)).toEqual({ status: 200, revocationReads: 0 });

  await logout(client);
  expect(await onB(client)).toEqual({ status: 401, revocationReads: 0 });
});

it('answers from Redis while its listener is cut off, so a revocation it could not hear still holds, and catches up once back', async () => {
  const client = await signIn(a, await a.data.aMember(tenant, 'member'));
  await until(
    'B answering from memory',
    () => onB(client),
    ({ status, revocationReads }) => status === 200 && revocationReads === 0,
    10_000,
  );

  proxy.cutListeners();
  // B notices its listener is gone and checks every token in Redis.
  expect(
    await until(
      'B answering from Redis',
      () => onB(client),
      ({ revocationReads }) => revocationReads > 0,
      10_000,
    ),
  ).toEqual({ status: 200, revocationReads: 1 });
  await logout(client); // announced while B can not hear it
  const refused = await onB(client);
  expect(refused).toEqual({ status: 401, revocationReads: 1 });

  proxy.restoreListeners();
  const answers: number[] = [];
  await until(
    'B answering from memory again',
    async () => {
      const answer = await onB(client);
      answers.push(answer.status);
      return answer;
    },
    ({ revocationReads }) => revocationReads === 0,
    15_000,
  );
  // Never a pass on the way: B loaded the revocation it missed before trusting its memory again.
  expect(new Set(answers)).toEqual(new Set([401]));
  const res = await request(b.app.getHttpServer())
    .get('/api/auth/me')
    .set('Host', host())
    .set('Authorization', `Bearer ${client.accessToken}`)
    .expect(401);
  expect(codeOf(res)).toBe('UNAUTHENTICATED');
});

it('stops trusting a listener that went silent within seconds, answering from Redis', async () => {
  const client = await signIn(a, await a.data.aMember(tenant, 'member'));
  await until(
    'B answering from memory',
    () => onB(client),
    ({ status, revocationReads }) => status === 200 && revocationReads === 0,
    10_000,
  );

  proxy.stallListeners(); // the connection stays open and says nothing: no error tells B
  const started = Date.now();
  await until(
    'B answering from Redis',
    () => onB(client),
    ({ revocationReads }) => revocationReads > 0,
    10_000,
  );
  expect(Date.now() - started).toBeLessThan(5_000); // its pings went unanswered for 3 s
  await logout(client);
  expect(await onB(client)).toEqual({ status: 401, revocationReads: 1 });

  // B gives up on the silent connection and on the next one whose subscription goes unanswered too.
  const listeners = proxy.listenerConnections;
  await until(
    'B connecting again',
    async () => proxy.listenerConnections,
    (n) => n >= listeners + 2,
    15_000,
  );
  expect(await onB(client)).toEqual({ status: 401, revocationReads: 1 });

  proxy.restoreListeners();
  await until(
    'B answering from memory again',
    () => onB(client),
    ({ revocationReads }) => revocationReads === 0,
    15_000,
  );
  expect((await onB(client)).status).toBe(401);
});
