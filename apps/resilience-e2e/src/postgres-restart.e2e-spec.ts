import { type ApiProcess, apiEnvironment, startApi } from '@tenantry/testing/api-process';
import { TestData } from '@tenantry/testing/factories';
import { TestPostgres } from '@tenantry/testing/pg-server';
import { createTestDatabase, type TestDatabase } from '@tenantry/testing/test-database';
import { until } from '@tenantry/testing/until';
import { TestWebhookReceiver } from '@tenantry/testing/webhook-receiver';
import { anOwnerWithWebhook } from './client.js';

let server: TestPostgres;
let db: TestDatabase;
let data: TestData;
let receiver: TestWebhookReceiver;
let api: ApiProcess;

beforeAll(async () => {
  server = await new TestPostgres().start();
  db = await createTestDatabase(server.host);
  data = new TestData(db.platformUrl);
  receiver = await new TestWebhookReceiver().start();
  api = await startApi({ ...apiEnvironment(db), WEBHOOK_ALLOWED_ADDRESSES: '127.0.0.1' });
});

afterAll(async () => {
  await api.stop('SIGKILL');
  await receiver.stop();
  await data.close();
  await db.drop();
  await server.stop();
});

test('PostgreSQL restarted (crash-like) under load: 503s while it is away, no request half-written, the pool recovers without restarting the API', async () => {
  // Each new contact is two writes in one transaction: the contact and its webhook delivery.
  const { tenant, owner: client } = await anOwnerWithWebhook(data, api.origin, {
    receiver,
    path: '/hook',
    events: ['contact.created'],
  });

  const answers: { status: number; id?: string; code?: string }[] = [];
  let running = true;
  const writer = async (w: number) => {
    for (let i = 0; running; i++) {
      const res = await client
        .call('POST', '/api/contacts', { name: `Writer ${w} contact ${i}` })
        .catch(() => ({ status: 0, body: undefined }));
      answers.push({ status: res.status, id: res.body?.id, code: res.body?.error?.code });
    }
  };
  const writers = Array.from({ length: 8 }, (_, w) => writer(w));
  const written = (from: number) => answers.slice(from).filter((a) => a.status === 201).length;
  await until(
    'the writers under way',
    async () => written(0),
    (n) => n >= 20,
    10_000,
  );
  const atRestart = answers.length;
  await server.restart('immediate');
  // Until the restart has refused a write, and writes are kept again after that.
  const recovery = async () => {
    const hit = answers.findIndex((a, i) => i >= atRestart && a.status !== 201);
    return { hit, keptSince: hit < 0 ? 0 : written(hit) };
  };
  await until(
    'a write refused by the restart, then writes kept again',
    recovery,
    ({ hit, keptSince }) => hit >= 0 && keptSince >= 8,
    30_000,
  );
  running = false;
  await Promise.all(writers);

  const failed = answers.filter((a) => a.status !== 201);
  // Clear answers while the database was away: 503 with a stable code, never a 500 or a dropped connection.
  for (const answer of failed)
    expect(answer).toMatchObject({ status: 503, code: expect.stringMatching(/^(UNHEALTHY|DATABASE_BUSY)$/) });

  // The same process serves again, without a restart.
  expect((await fetch(`${api.origin}/api/health`)).status).toBe(200);
  const after = await Promise.all(
    Array.from({ length: 20 }, (_, i) => client.call('POST', '/api/contacts', { name: `After ${i}` })),
  );
  expect(after.map((a) => a.status)).toEqual(Array(20).fill(201));

  // All or nothing per request: every contact has its delivery and every delivery its contact; every 201 was kept.
  const rows = await data.query<{ id: string; deliveries: number }>(
    `select c.id, (select count(*)::int from webhook_deliveries d where d.tenant_id = c.tenant_id and d.payload->'data'->'contact'->>'id' = c.id::text) as deliveries
       from contacts c where c.tenant_id = $1`,
    [tenant.id],
  );
  expect(rows.rows.filter((r) => r.deliveries !== 1)).toEqual([]);
  const orphans = await data.query(
    `select d.id from webhook_deliveries d where d.tenant_id = $1 and not exists (select 1 from contacts c where c.id::text = d.payload->'data'->'contact'->>'id')`,
    [tenant.id],
  );
  expect(orphans.rows).toEqual([]);
  const kept = new Set(rows.rows.map((r) => r.id));
  for (const answer of answers.filter((a) => a.status === 201)) expect(kept.has(answer.id!)).toBe(true);
});
