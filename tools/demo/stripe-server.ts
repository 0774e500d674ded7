import { once } from 'node:events';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname } from 'node:path';
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
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const escapeHtml = (s: string) => s.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
const money = (cents: number, currency: string) =>
  new Intl.NumberFormat('en', { style: 'currency', currency }).format(cents / 100);
const TEST_BANNER =
  '<p role="note" style="background:#fde68a;color:#1f2937;padding:12px;border:2px solid #b45309;font-weight:bold">' +
  'TEST PAYMENTS: the local billing test mode. No card data is asked for and nothing is charged; ' +
  '"Pay" only tells the app that the payment went through.</p>';
const day = (seconds: number) => new Date(seconds * 1000).toISOString().slice(0, 10);
// A saved 5xx tells the SDK not to retry it, as Stripe does: the same key would only replay it.
const noRetry = (status: number): Record<string, string> => (status >= 500 ? { 'stripe-should-retry': 'false' } : {});

export interface StripeServerOptions {
  /** Where it listens: 127.0.0.1 and a free port by default. */
  host?: string;
  port?: number;
  /**
   * The demo's test mode: Checkout, Portal and invoice pages served at http://<publicHost>:<port>. Without it
   * (tests) their URLs are on *.stripe.test, which nothing serves.
   */
  publicHost?: string;
  /** Where it delivers the events Stripe sends, signed (the demo); without it, tests deliver them themselves. */
  webhookUrl?: string;
  /**
   * Where it keeps its customers, subscriptions and invoices between runs (the demo: the database that names
   * them outlives a restart); in memory only without it.
   */
  stateFile?: string;
  /** Prices it knows (the demo's catalog); any other id is made up when asked for (tests). */
  prices?: { id: string; nickname: string; amount: number; currency: string }[];
}

/**
 * A Stripe-compatible HTTP server on loopback for tests (Stripe itself cannot
 * be reached from here): just the endpoints Tenantry calls, with Stripe's JSON
 * shapes and errors, Idempotency-Key semantics as Stripe documents them, and
 * faults to inject. The real SDK talks to it (STRIPE_API_URL). Helpers move
 * subscriptions along their lifecycle the way Stripe would, and sign webhook
 * deliveries with the SDK. `npm start` runs it as the demo's billing test mode
 * (tools/demo/demo-services.ts): with pages for the browser, and delivering
 * the webhooks itself.
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
  private readonly options: StripeServerOptions;
  private readonly portalSessions = new Map<string, Obj>();
  private readonly prices = new Map<string, Obj>();

  constructor(options: StripeServerOptions = {}) {
    this.options = options;
    for (const p of options.prices ?? [])
      this.prices.set(p.id, {
        id: p.id,
        object: 'price',
        nickname: p.nickname,
        currency: p.currency,
        unit_amount: p.amount,
        recurring: { interval: 'month' },
      });
  }

  async start(): Promise<this> {
    this.load();
    this.server = createServer((req, res) => void this.serve(req, res));
    this.server.listen(this.options.port ?? 0, this.options.host ?? '127.0.0.1');
    await Promise.race([
      once(this.server, 'listening'),
      once(this.server, 'error').then(([error]) => Promise.reject(error)),
    ]);
    return this;
  }

  private load(): void {
    const file = this.options.stateFile;
    if (!file || !existsSync(file)) return;
    const state = JSON.parse(readFileSync(file, 'utf8')) as { counter: number } & Record<string, [string, Obj][]>;
    this.counter = state.counter;
    for (const [name, map] of this.stateMaps()) for (const [id, value] of state[name] ?? []) map.set(id, value);
  }

  /** After each change (a POST): small, and a demo's pace. */
  private save(): void {
    const file = this.options.stateFile;
    if (!file) return;
    mkdirSync(dirname(file), { recursive: true });
    const maps = Object.fromEntries(this.stateMaps().map(([name, map]) => [name, [...map]]));
    writeFileSync(file, JSON.stringify({ counter: this.counter, ...maps }));
  }

  private stateMaps(): [string, Map<string, Obj>][] {
    return [
      ['customers', this.customers],
      ['sessions', this.sessions],
      ['subscriptions', this.subscriptions],
      ['invoices', this.invoices],
      ['portalSessions', this.portalSessions],
    ];
  }

  /** Where browsers open its pages (the demo), else the made-up hosts tests intercept. */
  private pagesUrl(host: 'checkout' | 'billing' | 'invoice'): string {
    const { publicHost } = this.options;
    if (!publicHost) return `https://${host}.stripe.test`;
    return `http://${publicHost}:${(this.server.address() as AddressInfo).port}`;
  }

  /** Its API's origin, for the SDK (loopback when it listens on every address). */
  get url(): string {
    const host = this.options.host ?? '127.0.0.1';
    const reachable = ['0.0.0.0', '::'].includes(host) ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
    return `http://${reachable}:${(this.server.address() as AddressInfo).port}`;
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
    const invoice = this.invoice(subscription, 'paid', trialDays ? 0 : this.amountOf(subscription));
    // What Stripe sends when Checkout completes (in no fixed order): the subscription, its paid first invoice, the session.
    this.send('customer.subscription.created', subscription);
    this.send('invoice.paid', invoice);
    this.send('checkout.session.completed', session);
    return subscription;
  }

  /** A renewal payment fails: an open invoice, and the subscription past due. */
  failPayment(subscriptionId: string): Obj {
    const subscription = this.subscriptions.get(subscriptionId)!;
    subscription.status = 'past_due';
    return this.invoice(subscription, 'open', this.amountOf(subscription));
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
      currency: subscription.items.data[0].price.currency,
      created: now(),
      period_end: now() + MONTH,
      next_payment_attempt: status === 'open' ? now() + 3 * 86_400 : null,
      hosted_invoice_url: `${this.pagesUrl('invoice')}/i/${id}`,
      invoice_pdf: `${this.pagesUrl('invoice')}/i/${id}.pdf`,
      parent: {
        type: 'subscription_details',
        subscription_details: { subscription: subscription.id, metadata: subscription.metadata },
      },
    };
    this.invoices.set(id, invoice);
    return invoice;
  }

  /** A known price, or one made up: monthly EUR, 9.00 per seat (ids ending in `seat`), 29.00 otherwise. */
  private price(id: string): Obj {
    return structuredClone(
      this.prices.get(id) ?? {
        id,
        object: 'price',
        nickname: null,
        currency: 'eur',
        unit_amount: id.endsWith('seat') ? 900 : 2900,
        recurring: { interval: 'month' },
      },
    );
  }

  /** What a period of the subscription costs. */
  private amountOf(subscription: Obj): number {
    return subscription.items.data.reduce((sum: number, i: Obj) => sum + i.price.unit_amount * i.quantity, 0);
  }

  /**
   * Sends an event to the webhook endpoint (the demo), signed, as Stripe does: retried with growing pauses
   * until it answers 2xx (Stripe waits hours between attempts; a local demo, seconds).
   */
  private send(type: string, object: Obj): void {
    const url = this.options.webhookUrl;
    if (!url) return;
    const event = this.event(type, object);
    void (async () => {
      for (let attempt = 0; attempt < 6; attempt++) {
        const { body, signature } = this.delivery(event);
        const accepted = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'stripe-signature': signature },
          body,
        }).then(
          (res) => res.ok,
          () => false,
        );
        if (accepted) return;
        await sleep(1000 * 2 ** attempt);
      }
      console.error(`[billing test mode] ${url} did not accept ${type} (${event.id})`);
    })();
  }

  private id(prefix: string): string {
    return `${prefix}_test${(++this.counter).toString().padStart(6, '0')}`;
  }

  /** The demo's browser pages: Checkout, the customer Portal and hosted invoices, all marked as test payments. */
  private page(method: string, url: URL, res: ServerResponse): void {
    const html = (status: number, title: string, body: string): void =>
      void res
        .writeHead(status, { 'content-type': 'text/html; charset=utf-8' })
        .end(
          `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)} (TEST PAYMENTS)</title></head>` +
            `<body style="font-family:sans-serif;max-width:40rem;margin:2rem auto">${TEST_BANNER}<h1>${escapeHtml(title)}</h1>${body}</body></html>`,
        );
    const link = (href: string, text: string) => `<a href="${escapeHtml(href)}">${escapeHtml(text)}</a>`;
    const lines = (items: { price: Obj; quantity: number }[]) =>
      `<table><tbody>${items
        .map(
          ({ price, quantity }) =>
            `<tr><td>${escapeHtml(price.nickname ?? price.id)}</td><td>× ${quantity}</td><td>${money(price.unit_amount * quantity, price.currency)} / ${price.recurring.interval}</td></tr>`,
        )
        .join('')}</tbody></table>`;
    const invoiceRows = (customer: string) =>
      [...this.invoices.values()]
        .filter((i) => i.customer === customer)
        .reverse()
        .map(
          (i) =>
            `<li>${link(i.hosted_invoice_url, i.number)}: ${money(i.amount_due, i.currency)}, ${i.status}, ${day(i.created)}</li>`,
        )
        .join('');

    const checkout = /^\/c\/pay\/(\w+)$/.exec(url.pathname);
    if (checkout) {
      const session = this.sessions.get(checkout[1]);
      if (!session) return html(404, 'Checkout', '<p>No such Checkout Session.</p>');
      const successUrl = String(session.success_url).replace('{CHECKOUT_SESSION_ID}', session.id);
      if (method === 'POST') {
        // A second click (or a reload) after paying lands on the same page as the first.
        if (session.status === 'open') this.completeCheckout(session.id);
        this.save();
        res.writeHead(303, { location: successUrl }).end();
        return;
      }
      if (session.status !== 'open')
        return html(
          200,
          'Checkout',
          `<p>This Checkout Session is ${session.status}.</p><p>${link(successUrl, 'Back')}</p>`,
        );
      const items = (session.line_items as Obj[]).map((l) => ({
        price: this.price(l.price),
        quantity: Number(l.quantity),
      }));
      const trialDays = Number(session.subscription_data?.trial_period_days ?? 0);
      const total = items.reduce((sum, i) => sum + i.price.unit_amount * i.quantity, 0);
      return html(
        200,
        'Checkout',
        `<p>For ${escapeHtml(this.customers.get(session.customer)?.name ?? session.customer)}</p>${lines(items)}` +
          `<p>Total: <strong>${money(total, items[0].price.currency)}</strong> a month${trialDays ? `, after a free ${trialDays}-day trial` : ''}.</p>` +
          `<form method="post"><button type="submit">Pay (test payment)</button></form><p>${link(session.cancel_url, 'Cancel and go back')}</p>`,
      );
    }

    const portal = /^\/p\/session\/(\w+)$/.exec(url.pathname);
    if (portal && method === 'GET') {
      const session = this.portalSessions.get(portal[1]);
      if (!session) return html(404, 'Billing portal', '<p>No such portal session.</p>');
      const customer = this.customers.get(session.customer)!;
      const subscriptions = [...this.subscriptions.values()]
        .filter((s) => s.customer === customer.id && s.status !== 'canceled')
        .map(
          (s) =>
            `<li>${s.status}${s.cancel_at_period_end ? `, ends on ${day(s.items.data[0].current_period_end)}` : ''}${lines(s.items.data)}</li>`,
        )
        .join('');
      return html(
        200,
        'Billing portal',
        `<p>${escapeHtml(customer.name ?? '')} (${escapeHtml(customer.email ?? '')})</p>` +
          `<h2>Payment method</h2><p>A test card: nothing to enter, nothing charged.</p>` +
          `<h2>Subscriptions</h2><ul>${subscriptions || '<li>none</li>'}</ul>` +
          `<h2>Invoices</h2><ul>${invoiceRows(customer.id) || '<li>none</li>'}</ul>` +
          `<p>${link(session.return_url, 'Return to the app')}</p>`,
      );
    }

    const invoicePage = /^\/i\/(\w+?)(\.pdf)?$/.exec(url.pathname);
    const invoice = invoicePage && method === 'GET' ? this.invoices.get(invoicePage[1]) : undefined;
    if (invoice)
      return html(
        200,
        `Invoice ${invoice.number}`,
        `<p>${money(invoice.amount_due, invoice.currency)}, ${invoice.status}, issued ${day(invoice.created)}.</p>`,
      );
    html(404, 'Not found', '<p>Nothing here.</p>');
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
    if (this.options.publicHost && /^\/(c\/pay|p\/session|i)\//.test(url.pathname)) return this.page(method, url, res);
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
    if (method === 'POST') this.save();
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
      session.url = `${this.pagesUrl('checkout')}/c/pay/${session.id}`;
      this.sessions.set(session.id, session);
      return ok(session);
    }
    if (method === 'GET' && resource === 'checkout')
      return this.sessions.has(sub) ? ok(this.sessions.get(sub)!) : missing('checkout.session', sub);
    if (method === 'POST' && path === '/v1/billing_portal/sessions') {
      if (!this.customers.has(body.customer)) return missing('customer', body.customer);
      const id = this.id('bps');
      const session = {
        id,
        object: 'billing_portal.session',
        customer: body.customer,
        return_url: body.return_url,
        url: `${this.pagesUrl('billing')}/p/session/${id}`,
      };
      this.portalSessions.set(id, session);
      return ok(session);
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
      this.send('customer.subscription.updated', subscription);
      return ok(subscription);
    }
    if (method === 'POST' && resource === 'subscription_items') {
      const subscription = [...this.subscriptions.values()].find((s) => s.items.data.some((i: Obj) => i.id === id));
      if (!subscription) return missing('subscription_item', id);
      const item = subscription.items.data.find((i: Obj) => i.id === id);
      item.quantity = Number(body.quantity);
      this.send('customer.subscription.updated', subscription);
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
      return ok({
        object: 'invoice',
        customer: body.customer,
        amount_due: this.amountOf(subscription),
        currency: subscription.items.data[0].price.currency,
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
