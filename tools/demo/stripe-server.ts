import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isDeepStrictEqual } from 'node:util';
import { parse } from 'qs';
import Stripe from 'stripe';

/* eslint-disable @typescript-eslint/no-explicit-any -- Stripe's JSON, kept as plain objects */
type Obj = Record<string, any>;

export interface RecordedCall {
  method: string;
  path: string;
  idempotencyKey: string | null;
  body: Obj;
}

const now = () => Math.floor(Date.now() / 1000);
const MONTH = 30 * 86_400;

/** A POST's first result under an Idempotency-Key, kept as Stripe keeps it. */
interface SavedResult {
  method: string;
  path: string;
  params: Obj;
  status: number;
  body: Obj;
  requestId: string;
  at: number;
}

const DAY_MS = 86_400_000;
// A saved 5xx tells the SDK not to retry it, as Stripe does: the same key would only replay it.
const noRetry = (status: number): Record<string, string> => (status >= 500 ? { 'stripe-should-retry': 'false' } : {});

/**
 * A Stripe-compatible HTTP server on loopback for tests (Stripe itself cannot
 * be reached from here): just the endpoints Tenantry calls, with Stripe's JSON
 * shapes and errors, Idempotency-Key semantics as Stripe documents them, and
 * faults to inject. The real SDK talks to it (STRIPE_API_URL). Helpers move
 * subscriptions along their lifecycle the way Stripe would, and sign webhook
 * deliveries with the SDK.
 */
export class TestStripeServer {
  readonly customers = new Map<string, Obj>();
  readonly sessions = new Map<string, Obj>();
  readonly subscriptions = new Map<string, Obj>();
  readonly invoices = new Map<string, Obj>();
  readonly meterEvents = new Map<string, Obj>();
  readonly calls: RecordedCall[] = [];
  readonly webhookSecret = `whsec_test${Math.random().toString(36).slice(2)}`;
  private readonly saved = new Map<string, SavedResult>();
  private readonly inFlight = new Set<string>();
  private faults: Parameters<TestStripeServer['inject']>[0][] = [];
  private counter = 0;
  private requests = 0;
  private server!: Server;
  private readonly sdk = new Stripe('sk_test_signing_only');

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.serve(req, res));
    this.server.listen(0, '127.0.0.1');
    await once(this.server, 'listening');
    return this;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }

  /**
   * The next request to a matching path that reaches the endpoint fails with
   * `status` (a failure while executing: Stripe saves and replays it under the
   * request's Idempotency-Key), or is made but finishes only after `delayMs`
   * (its key stays in flight until then: the client times out and retries).
   * `error` is Stripe's error object of the failure (an api_error by default).
   */
  inject(fault: {
    path: RegExp;
    status?: number;
    delayMs?: number;
    error?: { type: string; code?: string; message: string };
  }): void {
    this.faults.push(fault);
  }

  /** Drops the injected faults no request has met yet. */
  clearFaults(): void {
    this.faults = [];
  }

  callsTo(method: string, path: RegExp): RecordedCall[] {
    return this.calls.filter((c) => c.method === method && path.test(c.path));
  }

  /** The customer pays at Checkout: a subscription (trialing when the session asked for a trial) and its first invoice. */
  completeCheckout(sessionId: string): Obj {
    const session = this.sessions.get(sessionId)!;
    const trialDays = Number(session.subscription_data?.trial_period_days ?? 0);
    const id = this.id('sub');
    const items = (session.line_items as Obj[]).map((line) => ({
      id: this.id('si'),
      object: 'subscription_item',
      price: this.price(line.price),
      quantity: Number(line.quantity),
      current_period_start: now(),
      current_period_end: now() + (trialDays ? trialDays * 86_400 : MONTH),
    }));
    const subscription = {
      id,
      object: 'subscription',
      customer: session.customer,
      status: trialDays ? 'trialing' : 'active',
      items: { object: 'list', data: items, has_more: false, url: `/v1/subscription_items?subscription=${id}` },
      metadata: session.subscription_data?.metadata ?? {},
      cancel_at_period_end: false,
      trial_end: trialDays ? now() + trialDays * 86_400 : null,
      created: now(),
    };
    this.subscriptions.set(id, subscription);
    Object.assign(session, { subscription: id, status: 'complete' });
    this.invoice(subscription, 'paid', trialDays ? 0 : 4900);
    return subscription;
  }

  /** A renewal payment fails: an open invoice, and the subscription past due. */
  failPayment(subscriptionId: string): Obj {
    const subscription = this.subscriptions.get(subscriptionId)!;
    subscription.status = 'past_due';
    return this.invoice(subscription, 'open', 4900);
  }

  /** The open invoice is paid (a retry or a new card): the subscription is active again. */
  payInvoice(invoiceId: string): Obj {
    const invoice = this.invoices.get(invoiceId)!;
    invoice.status = 'paid';
    this.subscriptions.get(invoice.parent.subscription_details.subscription)!.status = 'active';
    return invoice;
  }

  setStatus(subscriptionId: string, status: string): Obj {
    const subscription = this.subscriptions.get(subscriptionId)!;
    subscription.status = status;
    return subscription;
  }

  /** A webhook event as Stripe sends it, around a copy of `object`. */
  event(type: string, object: Obj): Obj {
    return {
      id: this.id('evt'),
      object: 'event',
      api_version: '2026-10-28.endive',
      created: now(),
      livemode: false,
      pending_webhooks: 1,
      request: { id: null, idempotency_key: null },
      type,
      data: { object: structuredClone(object) },
    };
  }

  /** The body and Stripe-Signature header of a delivery, signed by the SDK (another secret or an old timestamp to test refusals). */
  delivery(event: Obj, options: { secret?: string; timestamp?: number } = {}): { body: string; signature: string } {
    const body = JSON.stringify(event);
    return {
      body,
      signature: this.sdk.webhooks.generateTestHeaderString({
        payload: body,
        secret: options.secret ?? this.webhookSecret,
        timestamp: options.timestamp,
      }),
    };
  }

  private invoice(subscription: Obj, status: string, amount: number): Obj {
    const id = this.id('in');
    const invoice = {
      id,
      object: 'invoice',
      number: `TEST-${this.counter}`,
      customer: subscription.customer,
      status,
      amount_due: amount,
      currency: 'eur',
      created: now(),
      period_end: now() + MONTH,
      next_payment_attempt: status === 'open' ? now() + 3 * 86_400 : null,
      hosted_invoice_url: `https://invoice.stripe.test/${id}`,
      invoice_pdf: `https://invoice.stripe.test/${id}.pdf`,
      parent: {
        type: 'subscription_details',
        subscription_details: { subscription: subscription.id, metadata: subscription.metadata },
      },
    };
    this.invoices.set(id, invoice);
    return invoice;
  }

  /** A monthly EUR price: 9.00 per seat (ids ending in `seat`), 29.00 otherwise. */
  private price(id: string): Obj {
    return {
      id,
      object: 'price',
      currency: 'eur',
      unit_amount: id.endsWith('seat') ? 900 : 2900,
      recurring: { interval: 'month' },
    };
  }

  private id(prefix: string): string {
    return `${prefix}_test${(++this.counter).toString().padStart(6, '0')}`;
  }

  private async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const url = new URL(req.url ?? '/', 'http://stripe.test');
    const method = req.method!;
    const body = (method === 'GET' ? parse(url.search.slice(1)) : parse(Buffer.concat(chunks).toString())) as Obj;
    const key = (req.headers['idempotency-key'] as string | undefined) ?? null;
    this.calls.push({ method, path: url.pathname, idempotencyKey: key, body });
    const requestId = `req_${(++this.requests).toString().padStart(8, '0')}`;
    const send = (status: number, json: Obj, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json', 'request-id': requestId, ...headers });
      res.end(JSON.stringify(json));
    };
    const authorization = req.headers.authorization ?? '';
    if (!/^Bearer sk_test_/.test(authorization))
      return send(401, { error: { type: 'invalid_request_error', message: 'Invalid API Key provided' } });

    // Stripe's idempotency (docs.stripe.com/api/idempotent_requests): "Stripe saves the status code
    // and body of the first request made with a given idempotency key after endpoint execution
    // begins. Retries with the same key return the saved response, including 500 errors." "The
    // idempotency layer compares incoming parameters to those of the original request and errors if
    // they're not the same". "We save results only after the execution of an endpoint begins": a
    // request that fails validation (here: an unknown URL) or meets another one with the same key
    // still executing (409) saves nothing. Keys belong to the account (here: its API key), are
    // pruned after 24 hours, and count on POSTs only (GET and DELETE are idempotent by definition).
    const slot = method === 'POST' && key ? `${authorization} ${key}` : null;
    const earlier = slot ? this.saved.get(slot) : undefined;
    if (earlier && Date.now() - earlier.at < DAY_MS) {
      if (earlier.method !== method || earlier.path !== url.pathname || !isDeepStrictEqual(earlier.params, body)) {
        return send(400, {
          error: {
            type: 'idempotency_error',
            message: `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${key}' if you meant to execute a different request.`,
          },
        });
      }
      return send(earlier.status, earlier.body, {
        ...noRetry(earlier.status),
        'idempotent-replayed': 'true',
        'original-request': earlier.requestId,
      });
    }
    if (slot && this.inFlight.has(slot)) {
      return send(409, {
        error: {
          type: 'idempotency_error',
          message: `There is currently another in-progress request using this Idempotent Key (that probably means you submitted twice, and the other request is still going through): ${key}. Please try again later.`,
        },
      });
    }
    const fault = this.faults.findIndex((f) => f.path.test(url.pathname));
    const injected = fault >= 0 ? this.faults.splice(fault, 1)[0] : null;
    const result = injected?.status
      ? {
          status: injected.status,
          body: { error: injected.error ?? { type: 'api_error', message: 'Injected failure' } },
        }
      : this.route(method, url.pathname, body);
    if (!result)
      return send(404, {
        error: { type: 'invalid_request_error', message: `Unrecognized request URL (${method}: ${url.pathname})` },
      });
    if (slot) this.inFlight.add(slot);
    // Made, but finished late: the client times out and retries with the same key.
    if (injected?.delayMs) await new Promise((resolve) => setTimeout(resolve, injected.delayMs));
    if (slot) {
      this.inFlight.delete(slot);
      this.saved.set(slot, { method, path: url.pathname, params: body, ...result, requestId, at: Date.now() });
    }
    send(result.status, result.body, { ...(slot && noRetry(result.status)), 'original-request': requestId });
  }

  /** An endpoint's answer, or null for a URL no endpoint serves. */
  private route(method: string, path: string, body: Obj): { status: number; body: Obj } | null {
    const ok = (json: Obj) => ({ status: 200, body: structuredClone(json) });
    const missing = (what: string, id: string) => ({
      status: 404,
      body: { error: { type: 'invalid_request_error', code: 'resource_missing', message: `No such ${what}: '${id}'` } },
    });
    const [, , resource, id, sub] = path.split('/');
    if (method === 'GET' && path === '/v1/customers/search') {
      // Just the query Tenantry makes: one metadata field (Stripe's search also finds only what was indexed, within a minute).
      const [, field, value] = /^metadata\['(\w+)'\]:'([^']*)'$/.exec(String(body.query)) ?? [];
      if (!field)
        return {
          status: 400,
          body: {
            error: {
              type: 'invalid_request_error',
              code: 'parameter_invalid_string',
              message: `Invalid query: ${body.query}`,
            },
          },
        };
      const data = [...this.customers.values()].filter((c) => c.metadata[field] === value);
      return ok({ object: 'search_result', data, has_more: false, next_page: null, url: '/v1/customers/search' });
    }
    if (method === 'POST' && path === '/v1/customers') {
      const customer = {
        id: this.id('cus'),
        object: 'customer',
        name: body.name ?? null,
        email: body.email ?? null,
        metadata: body.metadata ?? {},
        created: now(),
      };
      this.customers.set(customer.id, customer);
      return ok(customer);
    }
    if (method === 'POST' && path === '/v1/checkout/sessions') {
      if (!this.customers.has(body.customer)) return missing('customer', body.customer);
      const session = {
        id: this.id('cs'),
        object: 'checkout.session',
        mode: body.mode,
        customer: body.customer,
        client_reference_id: body.client_reference_id ?? null,
        status: 'open',
        subscription: null,
        url: '',
        success_url: body.success_url,
        cancel_url: body.cancel_url,
        line_items: body.line_items,
        subscription_data: body.subscription_data ?? {},
      };
      session.url = `https://checkout.stripe.test/c/pay/${session.id}`;
      this.sessions.set(session.id, session);
      return ok(session);
    }
    if (method === 'GET' && resource === 'checkout')
      return this.sessions.has(sub) ? ok(this.sessions.get(sub)!) : missing('checkout.session', sub);
    if (method === 'POST' && path === '/v1/billing_portal/sessions') {
      if (!this.customers.has(body.customer)) return missing('customer', body.customer);
      return ok({
        id: this.id('bps'),
        object: 'billing_portal.session',
        customer: body.customer,
        return_url: body.return_url,
        url: `https://billing.stripe.test/p/session/${this.counter}`,
      });
    }
    if (resource === 'subscriptions') {
      const subscription = this.subscriptions.get(id);
      if (!subscription) return missing('subscription', id);
      if (method === 'GET') return ok(subscription);
      if (body.cancel_at_period_end !== undefined)
        subscription.cancel_at_period_end = body.cancel_at_period_end === 'true';
      for (const change of (body.items ?? []) as Obj[]) {
        const item = subscription.items.data.find((i: Obj) => i.id === change.id);
        if (item && change.price) item.price = this.price(change.price);
      }
      return ok(subscription);
    }
    if (method === 'POST' && resource === 'subscription_items') {
      const subscription = [...this.subscriptions.values()].find((s) => s.items.data.some((i: Obj) => i.id === id));
      if (!subscription) return missing('subscription_item', id);
      const item = subscription.items.data.find((i: Obj) => i.id === id);
      item.quantity = Number(body.quantity);
      return ok(item);
    }
    if (method === 'POST' && path === '/v1/invoices/create_preview') {
      const subscription = this.subscriptions.get(body.subscription);
      if (!subscription || subscription.status === 'canceled')
        return {
          status: 400,
          body: {
            error: {
              type: 'invalid_request_error',
              code: 'invoice_upcoming_none',
              message: 'No upcoming invoices for customer',
            },
          },
        };
      const amount = subscription.items.data.reduce(
        (sum: number, i: Obj) => sum + (i.price.id.endsWith('seat') ? 900 : 2900) * i.quantity,
        0,
      );
      return ok({
        object: 'invoice',
        customer: body.customer,
        amount_due: amount,
        currency: 'eur',
        period_end: subscription.items.data[0].current_period_end,
        next_payment_attempt: subscription.items.data[0].current_period_end,
      });
    }
    if (method === 'GET' && path === '/v1/invoices') {
      const data = [...this.invoices.values()]
        .filter((i) => i.customer === body.customer)
        .reverse()
        .slice(0, Number(body.limit ?? 10));
      return ok({ object: 'list', data, has_more: false, url: '/v1/invoices' });
    }
    if (method === 'GET' && resource === 'invoices')
      return this.invoices.has(id) ? ok(this.invoices.get(id)!) : missing('invoice', id);
    if (method === 'POST' && path === '/v1/billing/meter_events') {
      // Stripe takes an identifier once (within 24 hours): a resent report is not counted again.
      if (!this.meterEvents.has(body.identifier))
        this.meterEvents.set(body.identifier, {
          object: 'billing.meter_event',
          event_name: body.event_name,
          identifier: body.identifier,
          payload: body.payload,
          timestamp: Number(body.timestamp ?? now()),
        });
      return ok(this.meterEvents.get(body.identifier)!);
    }
    return null;
  }
}
