import { once } from 'node:events';
import { connect } from 'node:net';
import { Queue } from 'bullmq';
import pg from 'pg';
import { type ApiProcess, apiEnvironment, startApi } from '@tenantry/testing/api-process';
import { TestData } from '@tenantry/testing/factories';
import { createTestDatabase, type TestDatabase } from '@tenantry/testing/test-database';
import { TestWebhookReceiver } from '@tenantry/testing/webhook-receiver';
import { anOwnerWithWebhook, signIn } from './client.js';
import { untilApiWaitsOnLock } from './locks.js';
import { until } from '@tenantry/testing/until';

let db: TestDatabase;
let data: TestData;
let receiver: TestWebhookReceiver;
let api: ApiProcess | undefined;

beforeAll(async () => {
  db = await createTestDatabase();
  data = new TestData(db.platformUrl);
  receiver = await new TestWebhookReceiver().start();
});

afterAll(async () => {
  await api?.stop('SIGKILL');
  await receiver.stop();
  await data.close();
  await db.drop();
});

test('SIGTERM with 200 requests in flight and 50 running jobs: every request answered, every job finished once, usage flushed, exit 0 within 30 s', async () => {
  api = await startApi({ ...apiEnvironment(db), WEBHOOK_ALLOWED_ADDRESSES: '127.0.0.1', SHUTDOWN_DELAY_MS: '5000' });
  const { tenant, owner: client } = await anOwnerWithWebhook(data, api.origin, {
    receiver,
    path: '/hook',
    events: ['contact.updated'],
  });

  // 50 deliveries that the receiver holds for 4 s each: 50 active jobs.
  receiver.delayMs = 4_000;
  const existing = await data.contacts(tenant, 50);
  const updates = await Promise.all(
    existing.map((id) => client.call('PATCH', `/api/contacts/${id}`, { company: 'Renamed Co' })),
  );
  expect(updates.map((u) => u.status)).toEqual(existing.map(() => 200));
  await receiver.waitFor(50);

  // 200 creations at once; SIGTERM as soon as the first is answered.
  let answered = 0;
  const creations = Array.from({ length: 200 }, (_, i) =>
    client.call('POST', '/api/contacts', { name: `Created during shutdown ${i}` }).then((r) => (answered++, r.status)),
  );
  while (answered === 0) await new Promise((r) => setTimeout(r, 5));
  const answeredBeforeSignal = answered;
  const signalled = Date.now();
  const exit = api.stop('SIGTERM');

  expect(answeredBeforeSignal).toBeLessThan(200); // the signal did meet requests in flight
  expect(await Promise.all(creations)).toEqual(Array(200).fill(201));
  // Meanwhile its health check tells balancers it is going away (it serves what still arrives for SHUTDOWN_DELAY_MS).
  const health = await fetch(`${api.origin}/api/health`);
  expect(health.status).toBe(503);
  expect(((await health.json()) as { error: { code: string } }).error.code).toBe('SHUTTING_DOWN');

  expect(await exit).toEqual({ code: 0, signal: null });
  expect(Date.now() - signalled).toBeLessThan(30_000);

  // Every request's write is there, and so is the usage it counted (flushed at shutdown, not a minute later).
  const counts = await data.query<{ contacts: number; usage: number }>(
    `select (select count(*)::int from contacts where tenant_id = $1) as contacts,
            (select coalesce(sum(count), 0)::int from usage_counters where tenant_id = $1 and metric = 'contacts') as usage`,
    [tenant.id],
  );
  expect(counts.rows[0]).toEqual({ contacts: 250, usage: 200 });

  // The 50 running deliveries finished before the exit, each sent once; no job was left active (stalled) or failed.
  const deliveries = await data.query<{ status: string; attempts: number }>(
    'select status, attempts from webhook_deliveries where tenant_id = $1',
    [tenant.id],
  );
  expect(deliveries.rows).toEqual(existing.map(() => ({ status: 'succeeded', attempts: 1 })));
  expect(new Set(receiver.received.map((r) => r.headers['tenantry-delivery'])).size).toBe(50);
  expect(receiver.received).toHaveLength(50);
  const queue = new Queue('webhooks', { connection: { host: '127.0.0.1', port: 6379 }, prefix: `${db.name}:bull` });
  try {
    expect(await queue.getJobCounts('active', 'failed')).toEqual({ active: 0, failed: 0 });
  } finally {
    await queue.close();
  }
  api = undefined;
});

test('while it drains, the call in flight finishes and a call sent meanwhile on its connection is told SHUTTING_DOWN (503, Retry-After, Connection: close)', async () => {
  api = await startApi({ ...apiEnvironment(db), SHUTDOWN_DELAY_MS: '0' });
  const tenant = await data.aTenant();
  const owner = await signIn(api.origin, await data.aMember(tenant, 'owner'));
  const [contactId] = await data.contacts(tenant, 1);

  // The update waits for a lock the test holds, so it is in flight when the drain starts.
  const holder = new pg.Client({ connectionString: db.ownerUrl });
  await holder.connect();
  const socket = connect(api.port, '127.0.0.1');
  try {
    await holder.query('begin');
    await holder.query('lock table contacts in share mode');
    // Node closes idle kept-alive connections with the listener; a busy one stays open until its
    // call is answered, and a call sent on it meanwhile is the one turned away.
    let received = '';
    socket.on('data', (chunk) => (received += chunk));
    const closed = once(socket, 'close');
    const body = JSON.stringify({ name: 'Finished while draining' });
    const auth = `Authorization: Bearer ${owner.token}\r\nHost: 127.0.0.1\r\n`;
    socket.write(
      `PATCH /api/contacts/${contactId} HTTP/1.1\r\n${auth}Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    );
    await untilApiWaitsOnLock(holder, 'the update blocked on the lock');
    const { origin } = api;
    const exit = api.stop('SIGTERM');
    // A new connection is refused once the listener is closed.
    await until(
      'the listener closed',
      () =>
        fetch(`${origin}/api/health`).then(
          () => 'open',
          () => 'closed',
        ),
      (state) => state === 'closed',
      10_000,
    );
    socket.write(`GET /api/contacts HTTP/1.1\r\n${auth}\r\n`);

    await holder.query('commit');
    await closed;
    const [update, list] = received.split(/(?=HTTP\/1\.1 )/);
    expect(update).toMatch(/^HTTP\/1\.1 200 /);
    expect(list).toMatch(/^HTTP\/1\.1 503 /);
    expect(list).toMatch(/\r\nconnection: close\r\n/i);
    expect(list).toMatch(/\r\nretry-after: 1\r\n/i);
    expect(JSON.parse(list.slice(list.indexOf('\r\n\r\n') + 4)).error.code).toBe('SHUTTING_DOWN');

    expect(await exit).toEqual({ code: 0, signal: null });
    const { rows } = await data.query<{ name: string }>('select name from contacts where id = $1', [contactId]);
    expect(rows).toEqual([{ name: 'Finished while draining' }]);
  } finally {
    socket.destroy();
    await holder.end();
  }
  api = undefined;
});

test('SIGTERM while a delivery is held past the grace: the delivery is cancelled, the instance exits 0 soon after, and the next instance sends it again', async () => {
  const env = {
    ...apiEnvironment(db),
    WEBHOOK_ALLOWED_ADDRESSES: '127.0.0.1',
    WEBHOOK_TIMEOUT_MS: '60000',
    WEBHOOK_RETRY_BASE_MS: '500',
    SHUTDOWN_DELAY_MS: '0',
    SHUTDOWN_GRACE_MS: '1000',
  };
  api = await startApi(env);
  const { tenant, owner } = await anOwnerWithWebhook(data, api.origin, {
    receiver,
    path: '/held',
    events: ['contact.created'],
  });
  const before = receiver.received.length;
  receiver.delayMs = 60_000; // the receiver does not answer: the delivery runs until cancelled
  try {
    expect((await owner.call('POST', '/api/contacts', { name: 'Announced twice' })).status).toBe(201);
    await receiver.waitFor(before + 1);

    const signalled = Date.now();
    // Exit 0: the hard limit (delay + grace + 5 s) would exit 1.
    expect(await api.stop('SIGTERM')).toEqual({ code: 0, signal: null });
    expect(Date.now() - signalled).toBeLessThan(5_000);
    const [cancelled] = (
      await data.query<{ status: string; attempts: number; error: string }>(
        'select status, attempts, error from webhook_deliveries where tenant_id = $1',
        [tenant.id],
      )
    ).rows;
    expect(cancelled).toEqual({
      status: 'pending',
      attempts: 1,
      error: 'cancelled: the sending server was shutting down (sent again later)',
    });

    receiver.delayMs = 0;
    api = await startApi(env);
    const [first, second] = (await receiver.waitFor(before + 2, 20_000)).slice(before);
    expect(second.headers['tenantry-delivery']).toBe(first.headers['tenantry-delivery']);
    const delivered = await until(
      'the delivery succeeded on the next instance',
      async () =>
        (
          await data.query<{ status: string; attempts: number }>(
            'select status, attempts from webhook_deliveries where tenant_id = $1',
            [tenant.id],
          )
        ).rows,
      (rows) => rows[0]?.status === 'succeeded',
      10_000,
    );
    expect(delivered).toEqual([{ status: 'succeeded', attempts: 2 }]);
  } finally {
    receiver.delayMs = 0;
  }
});
