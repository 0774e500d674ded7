import { QueueEvents } from 'bullmq';
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
let env: Record<string, string>;

beforeAll(async () => {
  db = await createTestDatabase();
  data = new TestData(db.platformUrl);
  receiver = await new TestWebhookReceiver().start();
  env = { ...apiEnvironment(db), WEBHOOK_ALLOWED_ADDRESSES: '127.0.0.1' };
});

afterAll(async () => {
  await api?.stop('SIGKILL');
  await receiver.stop();
  await data.close();
  await db.drop();
});

test('killed (SIGKILL) in the middle of a request: after the restart, nothing of it was written', async () => {
  api = await startApi(env);
  const { tenant, owner } = await anOwnerWithWebhook(data, api.origin, {
    receiver,
    path: '/hook',
    events: ['contact.updated'],
  });
  const [contactId] = await data.contacts(tenant, 1, () => 'Before the crash');

  // Hold the request between its two writes: the contact is updated, the webhook delivery waits for this lock.
  const holder = new pg.Client({ connectionString: db.ownerUrl });
  await holder.connect();
  await holder.query('begin');
  await holder.query('lock table webhook_deliveries in share mode');
  const request = owner.call('PATCH', `/api/contacts/${contactId}`, { name: 'Half written' }).catch(() => 'no answer');
  await untilApiWaitsOnLock(holder, 'the request blocked on its second write');
  expect(await api.stop('SIGKILL')).toEqual({ code: null, signal: 'SIGKILL' });
  expect(await request).toBe('no answer');
  await holder.query('commit'); // the orphaned transaction may now run on, up to the COMMIT nobody sends
  await holder.end();

  api = await startApi(env);
  await until(
    'the orphaned transaction ended',
    async () =>
      (
        await data.query(
          `select count(*)::int as n from pg_stat_activity where datname = $1 and application_name = 'tenantry-api' and state like 'idle in transaction%'`,
          [db.name],
        )
      ).rows[0].n,
    (n) => n === 0,
    10_000,
  );
  const rows = await data.query('select name from contacts where tenant_id = $1', [tenant.id]);
  expect(rows.rows).toEqual([{ name: 'Before the crash' }]);
  expect(
    (await data.query('select count(*)::int as n from webhook_deliveries where tenant_id = $1', [tenant.id])).rows[0].n,
  ).toBe(0);
  expect(receiver.received).toHaveLength(0);
  await api.stop();
  api = undefined;
});

test('killed in the middle of a job: after the restart the stalled job runs again once and every row is imported exactly once', async () => {
  api = await startApi(env);
  const tenant = await data.aTenant();
  const member = await signIn(api.origin, await data.aMember(tenant, 'admin'));
  const csv = [
    'name,email',
    ...Array.from({ length: 3_000 }, (_, i) => `Imported ${i},imported-${i}@example.test`),
  ].join('\n');
  const form = new FormData();
  form.append('file', new Blob([csv], { type: 'text/csv' }), 'contacts.csv');
  const upload = await fetch(`${api.origin}/api/contact-imports`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${member.token}` },
    body: form,
  });
  expect(upload.status).toBe(201);
  const { id } = (await upload.json()) as { id: string };
  const progress = async () =>
    (
      await data.query<{ processed_rows: number; status: string }>(
        'select processed_rows, status from contact_imports where id = $1',
        [id],
      )
    ).rows[0];

  // Killed after its first batches, before the last.
  const atKill = await until('the import under way', progress, (p) => p.processed_rows >= 500, 30_000);
  await api.stop('SIGKILL');
  expect(atKill.processed_rows).toBeLessThan(3_000);
  const counted = (await data.query('select count(*)::int as n from contacts where tenant_id = $1', [tenant.id]))
    .rows[0].n;
  expect(counted).toBe((await progress()).processed_rows); // each batch committed whole, with its progress

  // The job's lock lapses (30 s); BullMQ's stalled check (every 30 s) first marks the job, then moves it
  // back to wait at its next round when the lock is gone: up to about a minute, by design. Once.
  const events = new QueueEvents('contacts', {
    connection: { host: '127.0.0.1', port: 6379 },
    prefix: `${db.name}:bull`,
  });
  const stalled: string[] = [];
  events.on('stalled', ({ jobId }) => stalled.push(jobId));
  await events.waitUntilReady();
  try {
    api = await startApi(env);
    const done = await until('the import finished', progress, (p) => p.status === 'done', 180_000);
    expect(done.processed_rows).toBe(3_000);
    expect(stalled).toEqual([`import-${id}`]);
  } finally {
    await events.close();
  }
  const contacts = await data.query<{ n: number; distinct: number }>(
    'select count(*)::int as n, count(distinct email)::int as distinct from contacts where tenant_id = $1',
    [tenant.id],
  );
  expect(contacts.rows[0]).toEqual({ n: 3_000, distinct: 3_000 });
  await api.stop();
  api = undefined;
}, 300_000);
