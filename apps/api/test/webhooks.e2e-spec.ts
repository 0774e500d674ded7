import { randomBytes } from 'node:crypto';
import { getQueueToken } from '@nestjs/bullmq';
import { verifyWebhook } from '@tenantry/api-webhooks';
import { Webhook } from 'standardwebhooks';
import type { Page, WebhookDelivery, WebhookEndpoint } from '@tenantry/contracts';
import type { Queue } from 'bullmq';
import { TestDnsServer } from '@tenantry/testing/dns-server';
import type { TestMember, TestTenant } from '@tenantry/testing/factories';
import { until, untilQueueIdle } from '@tenantry/testing/until';
import { TestWebhookReceiver } from '@tenantry/testing/webhook-receiver';
import { signIn } from './support/sessions.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { errorOf } from './support/error-body.js';

let t: TestApp;
let dns: TestDnsServer;
// The receiver a tenant owns (allowed as if public), and a server inside the network that must never be reached.
let receiver: TestWebhookReceiver;
let internal: TestWebhookReceiver;
let tenant: TestTenant;
let admin: TestMember;

beforeAll(async () => {
  dns = await new TestDnsServer().start();
  internal = await new TestWebhookReceiver('127.0.0.2').start();
  t = await startTestApp({
    env: {
      DNS_SERVERS: dns.address,
      WEBHOOK_ALLOWED_ADDRESSES: '127.0.0.1',
      WEBHOOK_RETRY_BASE_MS: '50',
      WEBHOOK_TIMEOUT_MS: '2000',
    },
  });
  dns.setA('hooks.example', ['127.0.0.1']);
  dns.setA('internal.example', ['127.0.0.2']);
  // Public over IPv4, loopback over IPv6 (IPv4-compatible ::127.0.0.2).
  dns.setA('dual.example', ['127.0.0.1']);
  dns.setAaaa('dual.example', ['::7f00:2']);
});
afterAll(async () => {
  await t.close();
  await Promise.all([internal.stop(), dns.stop()]);
});
// Each test: a tenant and a receiver of its own (deliveries an earlier test left retrying reach neither).
beforeEach(async () => {
  receiver = await new TestWebhookReceiver('127.0.0.1').start();
  tenant = await t.data.aTenant();
  admin = await t.data.aMember(tenant, 'admin');
});
afterEach(() => receiver.stop());

async function as(member: TestMember) {
  const token = (await signIn(t, member)).accessToken;
  const on = (req: import('supertest').Test) =>
    req.set('Host', `${member.tenant!.slug}.localhost`).set('Authorization', `Bearer ${token}`);
  return {
    get: (path: string) => on(t.http.get(`/api${path}`)),
    post: (path: string, body?: object) => on(t.http.post(`/api${path}`)).send(body ?? {}),
    patch: (path: string, body: object) => on(t.http.patch(`/api${path}`)).send(body),
  };
}
const url = (host: string, path = '/in') => `http://${host}:${receiver.port}${path}`;

/** The endpoint's newest delivery once it is settled (succeeded or failed). */
async function settled(
  client: Awaited<ReturnType<typeof as>>,
  endpointId: string,
  count = 1,
): Promise<WebhookDelivery[]> {
  const deliveries = () =>
    client
      .get(`/webhooks/endpoints/${endpointId}/deliveries`)
      .expect(200)
      .then((res) => (res.body as Page<WebhookDelivery>).items);
  return until(
    'deliveries settled',
    deliveries,
    (items) => items.length >= count && items.slice(0, count).every((d) => d.status !== 'pending'),
    10_000,
  );
}

describe('outbound webhooks', () => {
  it('signs each delivery so the receiver can verify it, and logs the answer', async () => {
    const client = await as(admin);
    const endpoint = (
      await client
        .post('/webhooks/endpoints', { url: url('hooks.example'), events: ['contact.created', 'contact.deleted'] })
        .expect(201)
    ).body as WebhookEndpoint;
    expect(endpoint.secret).toMatch(/^whsec_/);
    expect(endpoint.secretHint).toBe(`whsec_…${endpoint.secret!.slice(-4)}`);
    expect(((await client.get('/webhooks/endpoints').expect(200)).body as WebhookEndpoint[])[0]).not.toHaveProperty(
      'secret',
    );

    const contact = (await client.post('/contacts', { name: 'Ada Lovelace' }).expect(201)).body as { id: string };
    await client.patch(`/contacts/${contact.id}`, { company: 'Analytical Engines' }).expect(200); // not subscribed: no delivery
    const [hook] = await receiver.waitFor(1);
    expect(hook.headers['tenantry-event']).toBe('contact.created');
    // A receiver verifies with any Standard Webhooks library and the secret as shown.
    const standard = hook.headers as Record<string, string>;
    expect(standard['webhook-id']).toBe(hook.headers['tenantry-delivery']);
    expect(new Webhook(endpoint.secret!).verify(hook.body, standard)).toMatchObject({ type: 'contact.created' });
    expect(() => new Webhook(endpoint.secret!).verify(hook.body.replace('Ada', 'Eve'), standard)).toThrow();
    expect(() => new Webhook(`whsec_${randomBytes(24).toString('base64')}`).verify(hook.body, standard)).toThrow();
    // The deprecated pair is still sent and still checks out.
    const signed = {
      signature: hook.headers['tenantry-signature'] as string,
      timestamp: hook.headers['tenantry-timestamp'] as string,
    };
    expect(verifyWebhook(endpoint.secret!, signed, hook.body)).toBe(true);
    expect(verifyWebhook(endpoint.secret!, signed, hook.body, 300, Date.now() + 600_000)).toBe(false); // replayed ten minutes later
    const body = JSON.parse(hook.body);
    expect(body).toMatchObject({
      type: 'contact.created',
      tenant: { id: tenant.id, slug: tenant.slug },
      data: { contact: { id: contact.id, name: 'Ada Lovelace' } },
    });

    const deliveries = await settled(client, endpoint.id);
    expect(deliveries).toEqual([
      expect.objectContaining({
        event: 'contact.created',
        status: 'succeeded',
        attempts: 1,
        responseStatus: 200,
        error: null,
        eventId: body.id,
      }),
    ]);
    await untilQueueIdle(t.app.get<Queue>(getQueueToken('webhooks'))); // every delivery queued so far went out: nothing more comes
    expect(receiver.received).toHaveLength(1);
  });

  it('retries a failing receiver with backoff until it answers, and resends on request', async () => {
    const client = await as(admin);
    const endpoint = (
      await client
        .post('/webhooks/endpoints', { url: url('hooks.example', '/flaky'), events: ['member.removed'] })
        .expect(201)
    ).body as WebhookEndpoint;
    receiver.answer('/flaky', { status: 500 }, { status: 503 });
    const leaving = await t.data.aMember(tenant, 'member');
    const { rows } = await t.data.query<{ id: string }>(
      'select id from memberships where tenant_id = $1 and user_id = $2',
      [tenant.id, leaving.userId],
    );
    await t.http
      .delete(`/api/members/${rows[0].id}`)
      .set('Host', `${tenant.slug}.localhost`)
      .set('Authorization', `Bearer ${(await signIn(t, admin)).accessToken}`)
      .expect(204);
    const received = await receiver.waitFor(3);
    expect(received.map((r) => r.path)).toEqual(['/flaky', '/flaky', '/flaky']);
    expect(new Set(received.map((r) => JSON.parse(r.body).id)).size).toBe(1); // the same event each time
    const [delivery] = await settled(client, endpoint.id);
    expect(delivery).toMatchObject({ event: 'member.removed', status: 'succeeded', attempts: 3, responseStatus: 200 });
    expect(JSON.parse(received[0].body).data.member).toMatchObject({
      userId: leaving.userId,
      email: leaving.email,
      role: 'member',
    });

    const resent = (await client.post(`/webhooks/deliveries/${delivery.id}/resend`).expect(201))
      .body as WebhookDelivery;
    expect(resent).toMatchObject({ eventId: delivery.eventId, status: 'pending' });
    await receiver.waitFor(4);
    expect(JSON.parse(receiver.received[3].body).id).toBe(delivery.eventId);
    const log = await settled(client, endpoint.id, 2);
    expect(log.map((d) => d.status)).toEqual(['succeeded', 'succeeded']);
  });

  it('refuses endpoints on private, loopback, link-local or non-public names, and bad URLs', async () => {
    const client = await as(admin);
    const refused = [
      `http://127.0.0.2:${internal.port}/`,
      'http://10.0.0.5/hook',
      'http://169.254.169.254/latest/meta-data/',
      'http://[::1]/hook',
      'http://[::ffff:127.0.0.2]/hook',
      'http://[::127.0.0.1]/hook',
      'http://[::ffff:7f00:2]/hook',
      'http://[64:ff9b::7f00:1]/hook',
      'http://[2002:7f00:1::]/hook',
      'http://[fec0::1]/hook',
      'http://2130706434/hook', // 127.0.0.2 (127.0.0.1 is an allowed receiver here)
      'http://0x7f.2/hook',
      'http://017700000002/hook',
      'http://localhost./hook',
      'http://0.0.0.0/hook',
      'http://100.64.0.1/hook',
      'http://localhost/hook',
      'http://metadata.google.internal/computeMetadata/v1/',
      `http://internal.example:${internal.port}/`,
      `http://dual.example:${internal.port}/`,
      'http://nowhere.example/hook',
      'http://user:secret@hooks.example/hook',
      'ftp://hooks.example/hook',
      'not a url',
    ];
    for (const target of refused) {
      const res = await client.post('/webhooks/endpoints', { url: target, events: ['contact.created'] });
      expect({ target, status: res.status, code: errorOf(res)?.code }).toEqual({
        target,
        status: 422,
        code: 'WEBHOOK_URL_FORBIDDEN',
      });
    }
    expect(
      errorOf(
        await client
          .post('/webhooks/endpoints', { url: url('hooks.example'), events: ['contact.exploded'] })
          .expect(400),
      ).code,
    ).toBe('VALIDATION_FAILED');
    expect(internal.received).toEqual([]);
  });

  it('checks the address again at delivery and connects to the checked address only (DNS rebinding), also after a redirect', async () => {
    const client = await as(admin);
    // Public while the endpoint is saved, internal when the delivery goes out.
    dns.setA('rebind.example', ['127.0.0.1'], ['127.0.0.2']);
    const rebinding = (
      await client
        .post('/webhooks/endpoints', {
          url: `http://rebind.example:${internal.port}/steal`,
          events: ['contact.deleted'],
        })
        .expect(201)
    ).body as WebhookEndpoint;
    // A redirect from the tenant's receiver to an internal address, by number and by name.
    const redirecting = (
      await client
        .post('/webhooks/endpoints', { url: url('hooks.example', '/moved'), events: ['contact.deleted'] })
        .expect(201)
    ).body as WebhookEndpoint;
    receiver.answer(
      '/moved',
      ...Array.from({ length: 12 }, () => ({ status: 302, location: `http://127.0.0.2:${internal.port}/steal` })),
    );
    const askedBefore = dns.questions('A', 'rebind.example');

    const contact = (await client.post('/contacts', { name: 'Short-lived' }).expect(201)).body as { id: string };
    await client.get(`/contacts/${contact.id}`).expect(200);
    await t.http
      .delete(`/api/contacts/${contact.id}`)
      .set('Host', `${tenant.slug}.localhost`)
      .set('Authorization', `Bearer ${(await signIn(t, admin)).accessToken}`)
      .expect(204);

    const [rebound] = await settledOrRetrying(client, rebinding.id);
    expect(rebound.error).toMatch(/refused: rebind\.example resolves to 127\.0\.0\.2, which is not a public address/);
    // Stop its retries, then count: one A question per attempt that went out — the connection used the
    // checked answer and never asked again (the last attempt, on the disabled endpoint, asks nothing).
    await client.patch(`/webhooks/endpoints/${rebinding.id}`, { enabled: false }).expect(200);
    const [stopped] = await settled(client, rebinding.id);
    expect(stopped).toMatchObject({ status: 'failed', error: 'the endpoint is disabled' });
    expect(dns.questions('A', 'rebind.example') - askedBefore).toBe(stopped.attempts - 1);
    const [redirected] = await settledOrRetrying(client, redirecting.id);
    expect(redirected.error).toMatch(/refused: 127\.0\.0\.2 is not a public address|resolves to 127\.0\.0\.2/);
    expect(internal.received).toEqual([]);

    // By name, too: the redirect's host is resolved and checked like the first one (pinged: no other event reaches these).
    const byName = (
      await client
        .post('/webhooks/endpoints', { url: url('hooks.example', '/moved-by-name'), events: ['subscription.changed'] })
        .expect(201)
    ).body as WebhookEndpoint;
    receiver.answer(
      '/moved-by-name',
      ...Array.from({ length: 12 }, () => ({
        status: 307,
        location: `http://internal.example:${internal.port}/steal`,
      })),
    );
    await client.post(`/webhooks/endpoints/${byName.id}/ping`).expect(201);
    const [named] = await settledOrRetrying(client, byName.id);
    expect(named.error).toMatch(/internal\.example resolves to 127\.0\.0\.2/);
    expect(internal.received).toEqual([]);
    // And a redirect to an allowed receiver is followed.
    const movedOk = (
      await client
        .post('/webhooks/endpoints', { url: url('hooks.example', '/moved-ok'), events: ['subscription.changed'] })
        .expect(201)
    ).body as WebhookEndpoint;
    receiver.answer('/moved-ok', { status: 308, location: url('hooks.example', '/new-home') });
    await client.post(`/webhooks/endpoints/${movedOk.id}/ping`).expect(201);
    const [followed] = await settled(client, movedOk.id);
    expect(followed).toMatchObject({ event: 'webhook.ping', status: 'succeeded', attempts: 1 });
    expect(receiver.received.map((r) => r.path)).toContain('/new-home');
  });

  it("keeps each tenant's endpoints and log to itself, and to owners and admins", async () => {
    const client = await as(admin);
    const endpoint = (
      await client.post('/webhooks/endpoints', { url: url('hooks.example'), events: ['contact.created'] }).expect(201)
    ).body as WebhookEndpoint;
    const other = await t.data.aTenant();
    const foreign = await as(await t.data.aMember(other, 'owner'));
    expect((await foreign.get('/webhooks/endpoints').expect(200)).body as WebhookEndpoint[]).toEqual([]);
    expect(errorOf(await foreign.get(`/webhooks/endpoints/${endpoint.id}/deliveries`).expect(404)).code).toBe(
      'WEBHOOK_ENDPOINT_NOT_FOUND',
    );
    expect(
      errorOf(await foreign.patch(`/webhooks/endpoints/${endpoint.id}`, { enabled: false }).expect(404)).code,
    ).toBe('WEBHOOK_ENDPOINT_NOT_FOUND');
    const member = await as(await t.data.aMember(tenant, 'member'));
    expect(errorOf(await member.get('/webhooks/endpoints').expect(403)).code).toBe('FORBIDDEN');
    const rotated = (await client.post(`/webhooks/endpoints/${endpoint.id}/secret`).expect(200))
      .body as WebhookEndpoint;
    expect(rotated.secret).toMatch(/^whsec_/);
    expect(rotated.secret).not.toBe(endpoint.secret);
  });
});

/** The newest deliveries once the first (or the one `pick` chooses) has failed at least once. */
async function settledOrRetrying(
  client: Awaited<ReturnType<typeof as>>,
  endpointId: string,
  pick: (d: WebhookDelivery) => boolean = () => true,
): Promise<WebhookDelivery[]> {
  const deliveries = () =>
    client
      .get(`/webhooks/endpoints/${endpointId}/deliveries`)
      .expect(200)
      .then((res) => (res.body as Page<WebhookDelivery>).items);
  const items = await until(
    'a failed attempt',
    deliveries,
    (all) => {
      const [first] = all.filter(pick);
      return first !== undefined && first.attempts > 0 && Boolean(first.error);
    },
    10_000,
  );
  return items.filter(pick);
}
