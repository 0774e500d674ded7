import { REDIS } from '@tenantry/api-core';
import type { CreatedApiKey } from '@tenantry/contracts';
import type { Redis } from 'ioredis';
import request from 'supertest';
import type { TestTenant } from '@tenantry/testing/factories';
import { RedisProxy } from '@tenantry/testing/redis-proxy';
import { until } from '@tenantry/testing/until';
import { signIn } from './support/sessions.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { codeOf } from './support/error-body.js';

// Two instances of the API on one database and one Redis, as replicas run. The second reaches
// Redis through a relay, so the test can cut its listening connection.
let a: TestApp;
let b: TestApp;
let proxy: RedisProxy;
let tenant: TestTenant;
let adminToken: string;
beforeAll(async () => {
  a = await startTestApp();
  proxy = await new RedisProxy().start();
  b = await startTestApp({ sameDataAs: a, env: { REDIS_URL: proxy.url } });
  tenant = await a.data.aTenant();
  await a.data.contacts(tenant, 1);
  adminToken = (await signIn(a, await a.data.aMember(tenant, 'admin'))).accessToken;
});
afterAll(async () => {
  await b.close();
  await proxy.stop();
  await a.close();
});

const host = () => `${tenant.slug}.localhost`;
async function aKey(): Promise<CreatedApiKey> {
  return (
    await a.http
      .post('/api/api-keys')
      .set('Host', host())
      .set('Authorization', `Bearer ${adminToken}`)
      .send({ name: 'Sync', scopes: ['contacts.read'] })
      .expect(201)
  ).body as CreatedApiKey;
}
const onB = (secret: string) => request(b.app.getHttpServer()).get('/api/contacts').set('X-API-Key', secret);

it('refuses a key revoked on another instance at once, though that instance had just accepted it', async () => {
  const key = await aKey();
  await onB(key.secret).expect(200);
  await a.http
    .delete(`/api/api-keys/${key.apiKey.id}`)
    .set('Host', host())
    .set('Authorization', `Bearer ${adminToken}`)
    .expect(204);
  expect(codeOf(await onB(key.secret).expect(401))).toBe('API_KEY_INVALID');
});

it('reads every key from the database while it can not hear revocations, so one it missed still holds', async () => {
  const key = await aKey();
  await onB(key.secret).expect(200);
  proxy.cutListeners();
  try {
    // Revoked where no instance announces it: only a database read can know.
    await a.data.query('update api_keys set revoked_at = now() where id = $1', [key.apiKey.id]);
    const refused = await until(
      'B refusing the key',
      () => onB(key.secret),
      (res) => res.status !== 200,
      10_000,
    );
    expect(codeOf(refused)).toBe('API_KEY_INVALID');
  } finally {
    proxy.restoreListeners();
  }
});

it('refuses to revoke while Redis is down (503), leaving the key working everywhere rather than on some instances', async () => {
  const key = await aKey();
  const broken = await startTestApp({ sameDataAs: a });
  try {
    broken.app.get<Redis>(REDIS).disconnect(); // no offline queue: commands fail at once
    const res = await broken.http
      .delete(`/api/api-keys/${key.apiKey.id}`)
      .set('Host', host())
      .set('Authorization', `Bearer ${adminToken}`)
      .expect(503);
    expect(codeOf(res)).toBe('UNHEALTHY');
  } finally {
    await broken.close();
  }
  await onB(key.secret).expect(200);
  await a.http.get('/api/contacts').set('X-API-Key', key.secret).expect(200);
});
