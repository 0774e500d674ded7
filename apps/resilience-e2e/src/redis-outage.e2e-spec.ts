import { Queue } from 'bullmq';
import { type ApiProcess, apiEnvironment, startApi } from '@tenantry/testing/api-process';
import { TestData } from '@tenantry/testing/factories';
import { TestRedis } from '@tenantry/testing/redis-server';
import { createTestDatabase, type TestDatabase } from '@tenantry/testing/test-database';
import { TestWebhookReceiver } from '@tenantry/testing/webhook-receiver';
import { anOwnerWithWebhook, type Client } from './client.js';
import { until } from '@tenantry/testing/until';

let db: TestDatabase;
let data: TestData;
let redis: TestRedis;
let receiver: TestWebhookReceiver;
let api: ApiProcess;

beforeAll(async () => {
  db = await createTestDatabase();
  data = new TestData(db.platformUrl);
  redis = await new TestRedis().start();
  receiver = await new TestWebhookReceiver().start();
  api = await startApi({ ...apiEnvironment(db), REDIS_URL: redis.url, WEBHOOK_ALLOWED_ADDRESSES: '127.0.0.1' });
});

afterAll(async () => {
  await api.stop('SIGKILL');
  await redis.stop();
  await receiver.stop();
  await data.close();
  await db.drop();
});

/** One call, timed. */
async function timed(client: Client, method: string, path: string, body?: unknown) {
  const started = Date.now();
  const { status, body: answer } = await client.call(method, path, body);
  return { status, code: answer?.error?.code as string | undefined, ms: Date.now() - started };
}

test('Redis down for 30 s with 1,000 jobs queued: public pages go on, calls that need Redis answer 503 at once, no job lost or run twice', async () => {
  const { tenant, token, owner } = await anOwnerWithWebhook(data, api.origin, {
    receiver,
    path: '/hook',
    events: ['contact.created'],
  });

  // 1,000 deliveries queued: the receiver holds each answer 5 s, so 50 run and the rest wait in Redis.
  receiver.delayMs = 5_000;
  for (let i = 0; i < 1_000; i += 50) {
    const batch = await Promise.all(
      Array.from({ length: 50 }, (_, j) => owner.call('POST', '/api/contacts', { name: `Contact ${i + j}` })),
    );
    expect(batch.map((r) => r.status)).toEqual(Array(50).fill(201));
  }
  const pendingAtCrash = (
    await data.query<{ n: number }>(
      `select count(*)::int as n from webhook_deliveries where tenant_id = $1 and status = 'pending'`,
      [tenant.id],
    )
  ).rows[0].n;
  expect(pendingAtCrash).toBeGreaterThan(900);

  await redis.crash();
  const downSince = Date.now();
  // Tokens are checked against the instance's memory of revocations until it notices Redis is gone (its
  // listener closes with the server; nothing can be revoked meanwhile: a revocation needs Redis).
  await until(
    'the API noticing Redis is gone',
    () => timed(owner, 'GET', '/api/contacts?limit=5'),
    (call) => call.status !== 200,
    3_000,
  );
  const during: Record<string, { status: number; code?: string; ms: number }[]> = {
    branding: [],
    list: [],
    create: [],
    importCsv: [],
    health: [],
  };
  const form = () => {
    const f = new FormData();
    f.append('file', new Blob(['name\nDuring the outage'], { type: 'text/csv' }), 'contacts.csv');
    return f;
  };
  while (Date.now() - downSince < 30_000) {
    during.list.push(await timed(owner, 'GET', '/api/contacts?limit=5'));
    const branding = Date.now();
    during.branding.push({
      status: (await fetch(`${api.origin}/api/branding`, { headers: { 'X-Tenant': tenant.slug } })).status,
      ms: Date.now() - branding,
    });
    during.create.push(await timed(owner, 'POST', '/api/contacts', { name: 'During the outage' }));
    const started = Date.now();
    const upload = await fetch(`${api.origin}/api/contact-imports`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}` },
      body: form(),
    });
    during.importCsv.push({
      status: upload.status,
      code: ((await upload.json()) as { error?: { code: string } }).error?.code,
      ms: Date.now() - started,
    });
    const health = Date.now();
    during.health.push({ status: (await fetch(`${api.origin}/api/health`)).status, ms: Date.now() - health });
    await new Promise((r) => setTimeout(r, 1_000));
  }
  // The sign-in page's branding needs no Redis. A signed-in call does: a revoked token must never pass
  // unchecked, so Redis down means 503 for it, like a new contact (usage meter) or an upload (its job).
  for (const call of during.branding) expect(call.status).toBe(200);
  for (const call of [...during.list, ...during.create, ...during.importCsv])
    expect(call).toMatchObject({ status: 503, code: 'UNHEALTHY' });
  for (const call of during.health) expect(call.status).toBe(503);
  for (const call of Object.values(during).flat()) expect(call.ms).toBeLessThan(3_000); // an answer, not a wait for Redis
  // Nothing the refused calls began was kept (the upload's row is written before its job is queued).
  expect(
    (
      await data.query(`select count(*)::int as n from contacts where tenant_id = $1 and name = 'During the outage'`, [
        tenant.id,
      ])
    ).rows[0].n,
  ).toBe(0);
  expect(
    (await data.query('select count(*)::int as n from contact_imports where tenant_id = $1', [tenant.id])).rows[0].n,
  ).toBe(0);

  receiver.delayMs = 0;
  await redis.start();
  await until(
    'health back',
    async () => (await fetch(`${api.origin}/api/health`)).status,
    (status) => status === 200,
    20_000,
  );
  expect((await owner.call('POST', '/api/contacts', { name: 'After the outage' })).status).toBe(201);

  // Every delivery made it, each sent once — the ones running at the crash included, once BullMQ has re-run them as stalled.
  const queue = new Queue('webhooks', {
    connection: { host: '127.0.0.1', port: redis.port },
    prefix: `${db.name}:bull`,
  });
  try {
    await until(
      'the queue drained',
      async () => {
        const counts = await queue.getJobCounts('active', 'wait', 'prioritized');
        const unsent = (
          await data.query<{ n: number }>(
            `select count(*)::int as n from webhook_deliveries where tenant_id = $1 and status <> 'succeeded'`,
            [tenant.id],
          )
        ).rows[0].n;
        return { unsent, active: counts.active, wait: counts.wait, prioritized: counts.prioritized };
      },
      (left) => left.unsent + left.active + left.wait + left.prioritized === 0,
      90_000,
    );
    expect(await queue.getJobCounts('failed')).toEqual({ failed: 0 });
  } finally {
    await queue.close();
  }
  const ids = receiver.received.map((r) => r.headers['tenantry-delivery']);
  expect(new Set(ids).size).toBe(1_001);
  expect(ids).toHaveLength(1_001);
}, 240_000);
