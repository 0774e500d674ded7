import { getQueueToken } from '@nestjs/bullmq';
import { SubscriptionSync, UsageReporter } from '@tenantry/api-billing';
import type { BillingOverview, PlatformBilling, RedirectUrl, TenantPlan } from '@tenantry/contracts';
import { type Queue, QueueEvents } from 'bullmq';
import fc from 'fast-check';
import Stripe from 'stripe';
import type { TestTenant } from '@tenantry/testing/factories';
import { TestStripeServer } from '../../../tools/demo/stripe-server.js';
import { until, untilQueueIdle } from '@tenantry/testing/until';
import { signIn, signUp } from './support/sessions.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { errorOf } from './support/error-body.js';

const DAY = 86_400_000;
const ORDERINGS = Number(process.env.BILLING_ORDERINGS ?? 200);
let t: TestApp;
let stripe: TestStripeServer;
let billingJobs: Queue;
let billingEvents: QueueEvents;

beforeAll(async () => {
  stripe = await new TestStripeServer().start();
  t = await startTestApp({
    env: {
      STRIPE_SECRET_KEY: 'sk_test_tenantry',
      STRIPE_WEBHOOK_SECRET: stripe.webhookSecret,
      STRIPE_API_URL: stripe.url,
      STRIPE_TIMEOUT_MS: '1000',
      STRIPE_MAX_RETRIES: '2',
    },
  });
  await t.data.query(
    `update plans set stripe_price_id = 'price_' || code || '_base', stripe_seat_price_id = 'price_' || code || '_seat' where code in ('starter', 'pro')`,
  );
  billingJobs = t.app.get<Queue>(getQueueToken('billing'));
  billingEvents = new QueueEvents('billing', {
    connection: billingJobs.opts.connection,
    prefix: billingJobs.opts.prefix,
  });
  await billingEvents.waitUntilReady();
});
afterAll(async () => {
  await billingEvents?.close();
  await t?.close();
  await stripe?.stop();
});

const as = (tenant: TestTenant, token: string) => ({
  get: (path: string) =>
    t.http.get(`/api${path}`).set('Host', `${tenant.slug}.localhost`).set('Authorization', `Bearer ${token}`),
  post: (path: string) =>
    t.http.post(`/api${path}`).set('Host', `${tenant.slug}.localhost`).set('Authorization', `Bearer ${token}`),
  put: (path: string) =>
    t.http.put(`/api${path}`).set('Host', `${tenant.slug}.localhost`).set('Authorization', `Bearer ${token}`),
});

async function customerTenant() {
  const tenant = await t.data.aTenant({ plan: 'free' });
  const owner = await t.data.aMember(tenant, 'owner');
  return { tenant, owner, api: as(tenant, (await signIn(t, owner)).accessToken) };
}

/** Posts a signed delivery; with `wait`, until the job has handled it. */
async function deliver(event: Record<string, unknown>, wait = true) {
  const { body, signature } = stripe.delivery(event);
  const res = await t.http
    .post('/api/billing/webhooks')
    .set('Content-Type', 'application/json')
    .set('Stripe-Signature', signature)
    .send(body);
  if (wait) await handled(event.id as string);
  return res;
}

/** Until the event's job has run (or its error, when it failed for good). */
async function handled(eventId: string): Promise<void> {
  const job = await billingJobs.getJob(`event-${eventId}`);
  if (!job) throw new Error(`event ${eventId} was not queued`);
  await job.waitUntilFinished(billingEvents, 15_000);
}

/** A tenant that went through Checkout: its subscription exists at the test server and the webhook was handled. */
async function subscribedTenant(plan = 'pro', seats = 3, { notify = true } = {}) {
  const customer = await customerTenant();
  const { url } = (await customer.api.post('/billing/checkout').send({ plan, seats }).expect(200)).body as RedirectUrl;
  const sessionId = url.split('/').at(-1)!;
  const subscription = stripe.completeCheckout(sessionId);
  if (notify) await deliver(stripe.event('checkout.session.completed', stripe.sessions.get(sessionId)!));
  return { ...customer, subscription };
}

const stateOf = async (tenantId: string) =>
  (
    await t.data.query(
      `select t.plan, t.license_status, t.billing_status, b.status, b.seats, b.cancel_at_period_end, l.plan as license_plan, l.seats as license_seats, l.status as license
     from tenants t join billing_accounts b on b.tenant_id = t.id
     left join licenses l on l.tenant_id = t.id and l.source = 'stripe' and l.status <> 'revoked' where t.id = $1`,
      [tenantId],
    )
  ).rows[0];

describe('Stripe checkout and subscriptions', () => {
  it('sends the owner to Checkout with the plan, seats and trial, and gives the tenant what Stripe confirms', async () => {
    const { tenant, api } = await customerTenant();
    await t.data.aMember(tenant, 'member');
    const { url } = (await api.post('/billing/checkout').send({ plan: 'pro' }).expect(200)).body as RedirectUrl;
    expect(url).toMatch(/^https:\/\/checkout\.stripe\.test\/c\/pay\/cs_/);
    const session = stripe.sessions.get(url.split('/').at(-1)!)!;
    expect(session).toMatchObject({
      mode: 'subscription',
      client_reference_id: tenant.id,
      line_items: [
        { price: 'price_pro_base', quantity: '1' },
        { price: 'price_pro_seat', quantity: '2' },
      ],
      subscription_data: { metadata: { tenant_id: tenant.id }, trial_period_days: '14' },
    });
    expect(stripe.customers.get(session.customer)).toMatchObject({ metadata: { tenant_id: tenant.id } });
    // Nothing changes before Stripe says so.
    expect(((await api.get('/plan').expect(200)).body as TenantPlan).plan.code).toBe('free');

    stripe.completeCheckout(session.id);
    await deliver(stripe.event('checkout.session.completed', session));
    expect(await stateOf(tenant.id)).toMatchObject({
      plan: 'pro',
      license_status: 'active',
      billing_status: 'trialing',
      seats: 2,
      license_plan: 'pro',
      license_seats: 2,
      license: 'active',
    });
    const billing = (await api.get('/billing').expect(200)).body as BillingOverview;
    expect(billing).toMatchObject({
      mode: 'stripe',
      plan: { code: 'pro' },
      status: 'trialing',
      seats: { used: 2, limit: 2, paid: 2 },
      nextInvoice: { amount: 2900 + 2 * 900, currency: 'eur' },
    });
    expect(billing.invoices).toHaveLength(1);
    expect(errorOf(await api.post('/billing/checkout').send({ plan: 'starter' }).expect(409)).code).toBe(
      'SUBSCRIPTION_EXISTS',
    );
  });

  it('changes seats with one prorated call and follows Stripe; never below the people in use', async () => {
    const { tenant, api, subscription } = await subscribedTenant('pro', 3);
    const before = stripe.callsTo('POST', /^\/v1\/subscription_items\//).length;
    const overview = (await api.put('/billing/seats').send({ seats: 8 }).expect(200)).body as BillingOverview;
    expect(overview.seats).toMatchObject({ paid: 8, limit: 8 });
    const calls = stripe.callsTo('POST', /^\/v1\/subscription_items\//).slice(before);
    expect(calls).toHaveLength(1);
    expect(calls[0].body).toEqual({ quantity: '8', proration_behavior: 'create_prorations' });
    expect(stripe.subscriptions.get(subscription.id)!.items.data[1].quantity).toBe(8);
    expect(await stateOf(tenant.id)).toMatchObject({ license_seats: 8 });

    for (let i = 0; i < 3; i++) await t.data.aMember(tenant, 'member'); // 4 people
    expect(errorOf(await api.put('/billing/seats').send({ seats: 3 }).expect(409))).toMatchObject({
      code: 'SEATS_BELOW_USE',
      details: { used: 4, asked: 3 },
    });
  });

  it('moves plans in place, cancels at the period end and takes it back; a deleted subscription leaves the free plan', async () => {
    const { tenant, api, subscription } = await subscribedTenant('pro', 3);
    await api.put('/billing/plan').send({ plan: 'starter' }).expect(200);
    expect(
      stripe.subscriptions.get(subscription.id)!.items.data.map((i: { price: { id: string } }) => i.price.id),
    ).toEqual(['price_starter_base', 'price_starter_seat']);
    expect(await stateOf(tenant.id)).toMatchObject({ plan: 'starter', license_plan: 'starter', license_seats: 3 });

    expect(
      ((await api.put('/billing/cancellation').send({ cancelAtPeriodEnd: true }).expect(200)).body as BillingOverview)
        .cancelAtPeriodEnd,
    ).toBe(true);
    expect(
      ((await api.put('/billing/cancellation').send({ cancelAtPeriodEnd: false }).expect(200)).body as BillingOverview)
        .cancelAtPeriodEnd,
    ).toBe(false);

    stripe.setStatus(subscription.id, 'canceled');
    await deliver(stripe.event('customer.subscription.deleted', stripe.subscriptions.get(subscription.id)!));
    expect(await stateOf(tenant.id)).toMatchObject({
      plan: 'free',
      license_status: 'none',
      billing_status: 'canceled',
      license: null,
    });
    expect(errorOf(await api.put('/billing/seats').send({ seats: 4 }).expect(409)).code).toBe('NO_SUBSCRIPTION');
  });

  it('lets admins read billing and only owners change it; a plan without prices is not for sale', async () => {
    const { tenant, api } = await customerTenant();
    const admin = as(tenant, (await signIn(t, await t.data.aMember(tenant, 'admin'))).accessToken);
    expect(((await admin.get('/billing').expect(200)).body as BillingOverview).purchasable.map((p) => p.code)).toEqual([
      'starter',
      'pro',
    ]);
    expect(errorOf(await admin.post('/billing/checkout').send({ plan: 'pro' }).expect(403)).code).toBe('FORBIDDEN');
    expect(errorOf(await api.post('/billing/checkout').send({ plan: 'enterprise' }).expect(422)).code).toBe(
      'PLAN_NOT_PURCHASABLE',
    );
    expect((await api.post('/billing/portal').expect(200)).body.url).toMatch(/^https:\/\/billing\.stripe\.test\//);
  });
});

describe('Stripe customers', () => {
  it('are made by a job after signup, once per tenant even when Stripe fails the first attempt', async () => {
    stripe.inject({ path: /^\/v1\/customers$/, status: 500 });
    const res = await signUp(t, {
      tenantName: 'Job Co',
      slug: 'job-co',
      displayName: 'Joan',
      email: 'joan@job-co.test',
      password: 'a long and unusual passphrase',
    });
    const tenantId = res.body.tenant.id as string;
    const ours = () => [...stripe.customers.values()].filter((c) => c.metadata.tenant_id === tenantId);
    // The job records the customer just after Stripe made it: wait for both.
    const recorded = async () =>
      (await t.data.query('select stripe_customer_id from billing_accounts where tenant_id = $1', [tenantId])).rows;
    // Its first attempt meets the 500; the next one runs after the job's 5 s backoff.
    await until('the Stripe customer recorded', recorded, (rows) => !!rows[0]?.stripe_customer_id, 15_000);
    expect(ours()).toMatchObject([{ name: 'Job Co', email: 'joan@job-co.test', metadata: { slug: 'job-co' } }]);
    expect(await recorded()).toEqual([{ stripe_customer_id: ours()[0].id }]);
    // Checkout later uses that customer rather than making another.
    await t.http
      .post('/api/billing/checkout')
      .set('Host', 'job-co.localhost')
      .set('Authorization', `Bearer ${res.body.accessToken}`)
      .send({ plan: 'pro' })
      .expect(200);
    expect(ours()).toHaveLength(1);
  });
});

describe('the Stripe test server', () => {
  // Stripe's idempotency as documented, met by the real SDK without its retries.
  const sdk = () =>
    new Stripe('sk_test_server', {
      host: '127.0.0.1',
      port: new URL(stripe.url).port,
      protocol: 'http',
      maxNetworkRetries: 0,
    });
  const failure = (promise: Promise<unknown>) =>
    promise.then(
      () => null,
      (error: InstanceType<typeof Stripe.errors.StripeError>) => error,
    );

  it('replays the first answer for a key, a 500 too, refuses the key with other parameters, and answers 409 while it runs', async () => {
    const api = sdk();
    const made = await api.customers.create({ name: 'Once' }, { idempotencyKey: 'key-made' });
    const again = await api.customers.create({ name: 'Once' }, { idempotencyKey: 'key-made' });
    expect(again.id).toBe(made.id);
    expect(again.lastResponse.headers['idempotent-replayed']).toBe('true');
    const refused = await failure(api.customers.create({ name: 'Other' }, { idempotencyKey: 'key-made' }));
    expect(refused).toMatchObject({ type: 'StripeIdempotencyError', statusCode: 400 });
    expect(refused!.message).toMatch(/same parameters they were first used with/);

    stripe.inject({ path: /^\/v1\/customers$/, status: 500 });
    expect(await failure(api.customers.create({ name: 'Failed' }, { idempotencyKey: 'key-failed' }))).toMatchObject({
      statusCode: 500,
    });
    const replayed = await failure(api.customers.create({ name: 'Failed' }, { idempotencyKey: 'key-failed' }));
    expect(replayed).toMatchObject({ statusCode: 500, headers: { 'idempotent-replayed': 'true' } });
    expect([...stripe.customers.values()].filter((c) => c.name === 'Failed')).toEqual([]);

    stripe.inject({ path: /^\/v1\/customers$/, delayMs: 300 });
    const slow = () => api.customers.create({ name: 'Slow' }, { idempotencyKey: 'key-slow' });
    const answers = await Promise.all([slow(), slow()].map((p) => p.catch((error: unknown) => error)));
    expect(answers.filter((a) => a instanceof Stripe.errors.StripeError)).toMatchObject([
      { rawType: 'idempotency_error', statusCode: 409 },
    ]);
    const madeSlowly = answers.find((a) => !(a instanceof Error)) as Stripe.Customer;
    expect((await slow()).id).toBe(madeSlowly.id);
  });
});

describe('outbound Stripe calls', () => {
  afterEach(() => stripe.clearFaults());
  const customersOf = (tenantId: string) =>
    [...stripe.customers.values()].filter((c) => c.metadata.tenant_id === tenantId);
  const recorded = async (tenantId: string) =>
    (await t.data.query('select stripe_customer_id from billing_accounts where tenant_id = $1', [tenantId])).rows;

  it('retries a timeout with the same Idempotency-Key, making one customer', async () => {
    const { tenant, api } = await customerTenant();
    const calls = stripe.callsTo('POST', /^\/v1\/customers$/).length;
    stripe.inject({ path: /^\/v1\/customers$/, delayMs: 1200 });
    await api.post('/billing/checkout').send({ plan: 'pro' }).expect(200);
    const attempts = stripe.callsTo('POST', /^\/v1\/customers$/).slice(calls);
    expect(attempts).toHaveLength(2);
    expect(new Set(attempts.map((a) => a.idempotencyKey)).size).toBe(1);
    expect(customersOf(tenant.id)).toHaveLength(1);
  });

  it('answers 503 when Stripe fails the customer with 500, and the next checkout goes on with a new key to make one customer', async () => {
    const { tenant, api } = await customerTenant();
    const calls = stripe.callsTo('POST', /^\/v1\/customers$/).length;
    stripe.inject({ path: /^\/v1\/customers$/, status: 500 });
    expect(errorOf(await api.post('/billing/checkout').send({ plan: 'pro' }).expect(503)).code).toBe(
      'BILLING_UNAVAILABLE',
    );
    expect(await recorded(tenant.id)).toEqual([]);
    expect(customersOf(tenant.id)).toEqual([]);
    await api.post('/billing/checkout').send({ plan: 'pro' }).expect(200);
    // Stripe replays the saved 500 for the first key; the new attempt has its own.
    const keys = stripe
      .callsTo('POST', /^\/v1\/customers$/)
      .slice(calls)
      .map((a) => a.idempotencyKey);
    expect(keys).toHaveLength(3);
    expect(keys[1]).toBe(keys[0]);
    expect(keys[2]).not.toBe(keys[0]);
    expect(customersOf(tenant.id)).toHaveLength(1);
    expect(await recorded(tenant.id)).toEqual([{ stripe_customer_id: customersOf(tenant.id)[0].id }]);
  });

  it("answers a refusal with a stable reason, never Stripe's own words", async () => {
    const { api } = await customerTenant();
    stripe.inject({
      path: /^\/v1\/checkout\/sessions$/,
      status: 402,
      error: { type: 'card_error', code: 'card_declined', message: 'Your card was declined (acct_1Internal).' },
    });
    const declined = await api.post('/billing/checkout').send({ plan: 'pro' }).expect(422);
    expect(errorOf(declined)).toMatchObject({ code: 'BILLING_REJECTED', details: { reason: 'card_declined' } });
    stripe.inject({
      path: /^\/v1\/checkout\/sessions$/,
      status: 400,
      error: {
        type: 'invalid_request_error',
        code: 'parameter_unknown',
        message: 'Received unknown parameter: price_1Internal',
      },
    });
    const refused = await api.post('/billing/checkout').send({ plan: 'pro' }).expect(422);
    expect(errorOf(refused)).toMatchObject({ code: 'BILLING_REJECTED', details: { reason: 'rejected' } });
    expect(declined.text + refused.text).not.toMatch(/Internal/);
  });

  it("makes the customer with the owner's new email after a failed attempt with the old one", async () => {
    const { tenant, owner, api } = await customerTenant();
    stripe.inject({ path: /^\/v1\/customers$/, status: 500 });
    await api.post('/billing/checkout').send({ plan: 'pro' }).expect(503);
    const email = `renamed-${owner.email}`;
    await t.data.query('update users set email = $2 where id = $1', [owner.userId, email]);
    await api.post('/billing/checkout').send({ plan: 'pro' }).expect(200);
    expect(customersOf(tenant.id)).toMatchObject([{ email }]);
  });

  it('finds the customer an attempt made when its answer was lost, rather than making another', async () => {
    const { tenant, owner, api } = await customerTenant();
    // Made at once, answered after every retry gave up (1 s timeout, 2 retries meeting 409 while it runs).
    stripe.inject({ path: /^\/v1\/customers$/, delayMs: 3000 });
    expect(errorOf(await api.post('/billing/checkout').send({ plan: 'pro' }).expect(503)).code).toBe(
      'BILLING_UNAVAILABLE',
    );
    expect(customersOf(tenant.id)).toHaveLength(1);
    await t.data.query('update users set email = $2 where id = $1', [owner.userId, `new-${owner.email}`]);
    await api.post('/billing/checkout').send({ plan: 'pro' }).expect(200);
    expect(customersOf(tenant.id)).toHaveLength(1);
    expect(await recorded(tenant.id)).toEqual([{ stripe_customer_id: customersOf(tenant.id)[0].id }]);
  }, 20_000);

  it('makes one customer for two checkouts at once', async () => {
    const { tenant, api } = await customerTenant();
    const answers = await Promise.all([
      api.post('/billing/checkout').send({ plan: 'pro' }),
      api.post('/billing/checkout').send({ plan: 'pro' }),
    ]);
    expect(answers.map((a) => a.status)).toEqual([200, 200]);
    expect(customersOf(tenant.id)).toHaveLength(1);
  });
});

describe('webhooks', () => {
  it('refuses a bad signature, an edited body, an old timestamp and another secret, and records none of them', async () => {
    const { subscription } = await subscribedTenant();
    const event = stripe.event('customer.subscription.updated', subscription);
    const good = stripe.delivery(event);
    const post = (body: string, signature: string) =>
      t.http
        .post('/api/billing/webhooks')
        .set('Content-Type', 'application/json')
        .set('Stripe-Signature', signature)
        .send(body);
    const refusals = [
      post(good.body, good.signature.replace(/v1=[0-9a-f]{4}/, 'v1=0000')),
      post(good.body.replace('"livemode":false', '"livemode":true'), good.signature),
      post(
        ...(Object.values(stripe.delivery(event, { timestamp: Math.floor(Date.now() / 1000) - 301 })) as [
          string,
          string,
        ]),
      ),
      post(...(Object.values(stripe.delivery(event, { secret: 'whsec_another' })) as [string, string])),
      post(good.body, ''),
    ];
    for (const res of await Promise.all(refusals)) {
      expect(res.status).toBe(400);
      expect(errorOf(res).code).toBe('WEBHOOK_SIGNATURE_INVALID');
    }
    expect((await t.data.query('select 1 from processed_webhook_events where event_id = $1', [event.id])).rows).toEqual(
      [],
    );
    expect((await deliver(event)).body).toEqual({ received: true, duplicate: false });
  });

  it('handles one event delivered 5 times at once only once', async () => {
    const { owner, subscription } = await subscribedTenant();
    const invoice = stripe.failPayment(subscription.id);
    const event = stripe.event('invoice.payment_failed', invoice);
    const results = await Promise.all(Array.from({ length: 5 }, () => deliver(event, false)));
    expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    expect(results.filter((r) => r.body.duplicate === false)).toHaveLength(1);
    await handled(event.id);
    await t.mailbox.waitFor(owner.email, /Payment failed/);
    // Every job those deliveries queued has run, and every mail it queued is sent: a second one would be here.
    await untilQueueIdle(billingJobs);
    await untilQueueIdle(t.app.get<Queue>(getQueueToken('mail')));
    expect(t.mailbox.to(owner.email).filter((m) => m.subject.startsWith('Payment failed'))).toHaveLength(1);
  });

  it('ends in the right state when subscription.updated arrives before subscription.created', async () => {
    const { tenant, api, subscription } = await subscribedTenant('pro', 3);
    await api.put('/billing/seats').send({ seats: 5 }).expect(200);
    const created = stripe.event('customer.subscription.created', { ...subscription, status: 'trialing' });
    stripe.setStatus(subscription.id, 'active');
    const updated = stripe.event('customer.subscription.updated', stripe.subscriptions.get(subscription.id)!);
    await deliver(updated);
    await deliver(created);
    expect(await stateOf(tenant.id)).toMatchObject({
      billing_status: 'active',
      seats: 5,
      license_seats: 5,
      license: 'active',
    });
  });

  it(`gives every one of ${ORDERINGS} random orderings of a lifecycle, delivered signed and run by the queue, the state the in-order sequence gives`, async () => {
    // The lifecycle at Stripe: trial → active with more seats → a failed payment → paid → cancel at period end.
    async function lifecycle() {
      const { tenant, subscription } = await subscribedTenant('pro', 2, { notify: false });
      const now = () => stripe.subscriptions.get(subscription.id)!;
      const events = [stripe.event('customer.subscription.created', subscription)];
      stripe.setStatus(subscription.id, 'active');
      now().items.data[1].quantity = 6;
      events.push(stripe.event('customer.subscription.updated', now()));
      const failed = stripe.failPayment(subscription.id);
      events.push(stripe.event('invoice.payment_failed', failed));
      events.push(stripe.event('invoice.paid', stripe.payInvoice(failed.id)));
      now().cancel_at_period_end = true;
      events.push(stripe.event('customer.subscription.updated', now()));
      return { tenant, events };
    }
    const reference = await lifecycle();
    for (const event of reference.events) await deliver(event);
    const expected = await stateOf(reference.tenant.id);
    expect(expected).toMatchObject({
      billing_status: 'active',
      seats: 6,
      cancel_at_period_end: true,
      license: 'active',
      license_seats: 6,
    });

    // fast-check draws the orderings from a seed it prints on failure, with the ordering; BILLING_ORDERINGS_SEED replays it.
    const positions = reference.events.map((_, i) => i);
    await fc.assert(
      fc.asyncProperty(fc.shuffledSubarray(positions, { minLength: positions.length }), async (order) => {
        const { tenant, events } = await lifecycle();
        for (const i of order) await deliver(events[i]);
        expect(await stateOf(tenant.id)).toEqual(expected);
      }),
      {
        numRuns: ORDERINGS,
        seed: process.env.BILLING_ORDERINGS_SEED ? Number(process.env.BILLING_ORDERINGS_SEED) : undefined,
        endOnFailure: true,
      },
    );
  }, 600_000);
});

describe('dunning', () => {
  it('keeps a past-due tenant working through its grace days, then read-only until the invoice is paid', async () => {
    const { tenant, owner, api, subscription } = await subscribedTenant('pro', 3);
    const invoice = stripe.failPayment(subscription.id);
    await deliver(stripe.event('invoice.payment_failed', invoice));
    const mail = await t.mailbox.waitFor(owner.email, /Payment failed/);
    expect(mail.text).toContain('becomes read-only');
    const overview = (await api.get('/billing').expect(200)).body as BillingOverview;
    expect(overview.status).toBe('past_due');
    expect(new Date(overview.pastDue!.suspendsAt).getTime() - new Date(overview.pastDue!.since).getTime()).toBe(
      7 * DAY,
    );
    await api.post('/contacts').send({ name: 'Still fine' }).expect(201);

    const sync = t.app.get(SubscriptionSync);
    await sync.enforceGrace(new Date(Date.now() + 6 * DAY));
    expect(await stateOf(tenant.id)).toMatchObject({ license_status: 'active' });
    await sync.enforceGrace(new Date(Date.now() + 8 * DAY));
    expect(await stateOf(tenant.id)).toMatchObject({ license_status: 'suspended', billing_status: 'past_due' });
    const token = (await signIn(t, owner)).accessToken;
    expect(errorOf(await as(tenant, token).post('/contacts').send({ name: 'Refused' }).expect(402)).code).toBe(
      'LICENSE_INACTIVE',
    );
    await as(tenant, token).get('/contacts').expect(200);

    stripe.payInvoice(invoice.id);
    await deliver(stripe.event('invoice.paid', stripe.invoices.get(invoice.id)!));
    expect(await stateOf(tenant.id)).toMatchObject({ license_status: 'active', billing_status: 'active' });
    await as(tenant, (await signIn(t, owner)).accessToken)
      .post('/contacts')
      .send({ name: 'Back' })
      .expect(201);
  });
});

describe('metered usage', () => {
  it('reports each finished day of each metric to Stripe once, even when a run is repeated or crashed after sending', async () => {
    const { tenant, subscription } = await subscribedTenant('pro', 3);
    const customer = subscription.customer as string;
    const day = (offset: number) => new Date(Date.now() + offset * DAY).toISOString().slice(0, 10);
    // Counts the flush moved to Postgres: two finished days (one before the subscription: not billed) and today.
    await t.data.query('update billing_accounts set usage_reported_from = $2 where tenant_id = $1', [
      tenant.id,
      day(-2),
    ]);
    await t.data.query(
      `insert into usage_counters (tenant_id, metric, day, count) values ($1, 'api_calls', $2, 40), ($1, 'api_calls', $3, 120), ($1, 'api_calls', $4, 999), ($1, 'contacts', $4, 7), ($1, 'api_calls', $5, 5)`,
      [tenant.id, day(-3), day(-2), day(-1), day(0)],
    );
    const reporter = t.app.get(UsageReporter);
    const ours = () =>
      [...stripe.meterEvents.values()]
        .filter((e) => e.payload.stripe_customer_id === customer)
        .map((e) => [e.identifier, e.event_name, e.payload.value])
        .sort();
    const expected = [
      [`${tenant.id}:api_calls:${day(-2)}`, 'api_calls', '120'],
      [`${tenant.id}:api_calls:${day(-1)}`, 'api_calls', '999'],
      [`${tenant.id}:contacts:${day(-1)}`, 'contacts', '7'],
    ].sort();

    await reporter.report();
    expect(ours()).toEqual(expected);
    const sent = stripe.callsTo('POST', /^\/v1\/billing\/meter_events$/).length;
    await reporter.report(); // a repeated run sends nothing
    expect(stripe.callsTo('POST', /^\/v1\/billing\/meter_events$/).length).toBe(sent);

    // A run that crashed after Stripe took the events but before recording them sends the same identifiers again.
    await t.data.query('delete from usage_reports where tenant_id = $1', [tenant.id]);
    await reporter.report();
    expect(stripe.callsTo('POST', /^\/v1\/billing\/meter_events$/).length).toBe(sent + 3);
    expect(ours()).toEqual(expected);
  });
});

describe('the platform console', () => {
  it('sums MRR and subscriptions by status, and lists failed payments with the day they turn read-only', async () => {
    const paying = await subscribedTenant('pro', 4);
    stripe.setStatus(paying.subscription.id, 'active');
    await deliver(stripe.event('customer.subscription.updated', paying.subscription));
    const failing = await subscribedTenant('starter', 2);
    await deliver(stripe.event('invoice.payment_failed', stripe.failPayment(failing.subscription.id)));

    const root = await t.data.aSuperAdmin();
    const operator = (
      await t.http.post('/api/auth/login').send({ email: root.email, password: root.password }).expect(200)
    ).body.accessToken as string;
    const summary = (await t.http.get('/api/platform/billing').set('Authorization', `Bearer ${operator}`).expect(200))
      .body as PlatformBilling;
    const { rows } = await t.data.query<{ sum: string }>(
      `select sum(billing_mrr_cents)::text as sum from tenants where billing_status in ('active', 'past_due')`,
    );
    expect(summary.mode).toBe('stripe');
    expect(summary.mrr).toEqual([{ currency: 'eur', amount: Number(rows[0].sum) }]);
    expect(Number(rows[0].sum)).toBeGreaterThanOrEqual(2900 + 4 * 900 + 2900 + 2 * 900);
    expect(summary.byStatus.past_due).toBeGreaterThanOrEqual(1);
    const failed = summary.failedPayments.find((f) => f.tenant.id === failing.tenant.id)!;
    expect(failed).toMatchObject({ plan: 'starter', amount: 2900 + 2 * 900, currency: 'eur' });
    expect(new Date(failed.suspendsAt).getTime() - new Date(failed.since).getTime()).toBe(7 * DAY);
    expect(errorOf(await failing.api.get('/platform/billing').expect(403)).code).toBe('FORBIDDEN');
  });
});

describe('manual billing (no Stripe configuration)', () => {
  it('shows "billed manually" and refuses Stripe actions', async () => {
    const manual = await startTestApp();
    try {
      const tenant = await manual.data.aTenant({ plan: 'starter' });
      const owner = await manual.data.aMember(tenant, 'owner');
      const token = (await signIn(manual, owner)).accessToken;
      const host = `${tenant.slug}.localhost`;
      const overview = (
        await manual.http.get('/api/billing').set('Host', host).set('Authorization', `Bearer ${token}`).expect(200)
      ).body as BillingOverview;
      expect(overview).toMatchObject({
        mode: 'manual',
        plan: { code: 'starter' },
        status: 'none',
        nextInvoice: null,
        invoices: [],
        purchasable: [],
      });
      const refused = await manual.http
        .post('/api/billing/checkout')
        .set('Host', host)
        .set('Authorization', `Bearer ${token}`)
        .send({ plan: 'pro' })
        .expect(409);
      expect(errorOf(refused).code).toBe('BILLING_MANUAL');
      expect(
        errorOf(
          await manual.http
            .post('/api/billing/webhooks')
            .set('Content-Type', 'application/json')
            .send('{}')
            .expect(409),
        ).code,
      ).toBe('BILLING_MANUAL');
    } finally {
      await manual.close();
    }
  });
});
