import { Inject, Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { type AppConfig, AppError } from '@tenantry/api-core';
import { ErrorCode } from '@tenantry/contracts';
import Stripe from 'stripe';

export type { Stripe };

/** Stripe's refusals a customer can act on, passed on by code; any other is just 'rejected'. */
const REJECTION_REASONS = new Set([
  'card_declined',
  'expired_card',
  'incorrect_cvc',
  'insufficient_funds',
  'authentication_required',
  'tax_id_invalid',
]);

/**
 * The only door to Stripe: the official SDK, configured once (an
 * Idempotency-Key on every POST, retried with that key on timeouts, network
 * errors and 409s, and on 5xx unless Stripe says a retry would only replay
 * them; a timeout; another API address for a local test server), and
 * Stripe's failures turned into our errors: unreachable → 503
 * BILLING_UNAVAILABLE, refused → 422 BILLING_REJECTED with a stable reason
 * (Stripe's message is only logged). Without STRIPE_SECRET_KEY, billing is
 * manual and every call answers 409 BILLING_MANUAL.
 */
@Injectable()
export class StripeGateway {
  private readonly logger = new Logger(StripeGateway.name);
  private readonly stripe: Stripe | null;
  private readonly webhookSecret: string | null;

  constructor(@Inject(ConfigService) config: ConfigService<AppConfig, true>) {
    const billing = config.get('billing', { infer: true });
    if (billing.secretKey && !billing.webhookSecret)
      throw new Error('STRIPE_WEBHOOK_SECRET is required with STRIPE_SECRET_KEY (Stripe mode)');
    const api = billing.apiUrl ? new URL(billing.apiUrl) : null;
    this.webhookSecret = billing.webhookSecret;
    this.stripe = billing.secretKey
      ? new Stripe(billing.secretKey, {
          maxNetworkRetries: billing.maxRetries,
          timeout: billing.timeoutMs,
          appInfo: { name: 'Tenantry' },
          ...(api && {
            host: api.hostname,
            port: api.port || (api.protocol === 'https:' ? 443 : 80),
            protocol: api.protocol === 'https:' ? 'https' : 'http',
          }),
        })
      : null;
  }

  /** Stripe mode (a secret key is configured). */
  get enabled(): boolean {
    return this.stripe !== null;
  }

  /** A webhook's event, once its signature (and age, 300 s at most) checks out: else 400 WEBHOOK_SIGNATURE_INVALID. */
  event(rawBody: Buffer, signature: string | undefined): Stripe.Event {
    const stripe = this.client();
    try {
      return stripe.webhooks.constructEvent(rawBody, signature ?? '', this.webhookSecret!);
    } catch {
      throw new AppError(ErrorCode.WEBHOOK_SIGNATURE_INVALID);
    }
  }

  /** The customer made for a tenant (its metadata names it), once Stripe's search has indexed it (within about a minute). */
  async customerOfTenant(tenantId: string): Promise<Stripe.Customer | null> {
    const found = await this.call((s) =>
      s.customers.search({ query: `metadata['tenant_id']:'${tenantId}'`, limit: 1 }),
    );
    return found.data[0] ?? null;
  }

  /**
   * A customer, made once per `idempotencyKey`: a retry with that key (the
   * SDK's, or a later attempt's) answers what the first request made. Stripe
   * keeps a key's first answer for 24 hours, a 500 too (and tells the SDK not
   * to retry it): an attempt that meets such a failure replayed goes on with
   * the key named after the failed request, the same for every caller, so each
   * failure is followed by one new request at most.
   */
  async createCustomer(params: Stripe.CustomerCreateParams, idempotencyKey: string): Promise<Stripe.Customer> {
    let key = idempotencyKey;
    for (;;) {
      try {
        return await this.client().customers.create(params, { idempotencyKey: key });
      } catch (error) {
        const replayed =
          error instanceof Stripe.errors.StripeError &&
          (error.statusCode ?? 0) >= 500 &&
          error.headers?.['idempotent-replayed'] === 'true';
        const next =
          replayed && error.headers['original-request']
            ? `${idempotencyKey}-after-${error.headers['original-request']}`
            : key;
        if (next === key) throw this.mapped(error);
        key = next;
      }
    }
  }

  createCheckoutSession(params: Stripe.Checkout.SessionCreateParams): Promise<Stripe.Checkout.Session> {
    return this.call((s) => s.checkout.sessions.create(params));
  }

  checkoutSession(id: string): Promise<Stripe.Checkout.Session> {
    return this.call((s) => s.checkout.sessions.retrieve(id));
  }

  createPortalSession(customer: string, returnUrl: string): Promise<Stripe.BillingPortal.Session> {
    return this.call((s) => s.billingPortal.sessions.create({ customer, return_url: returnUrl }));
  }

  subscription(id: string): Promise<Stripe.Subscription> {
    return this.call((s) => s.subscriptions.retrieve(id));
  }

  updateSubscription(id: string, params: Stripe.SubscriptionUpdateParams): Promise<Stripe.Subscription> {
    return this.call((s) => s.subscriptions.update(id, params));
  }

  /** A new quantity, prorated; answers the whole subscription as Stripe has it now. */
  async updateQuantity(subscriptionId: string, itemId: string, quantity: number): Promise<Stripe.Subscription> {
    await this.call((s) => s.subscriptionItems.update(itemId, { quantity, proration_behavior: 'create_prorations' }));
    return this.subscription(subscriptionId);
  }

  invoice(id: string): Promise<Stripe.Invoice> {
    return this.call((s) => s.invoices.retrieve(id));
  }

  async invoices(customer: string, limit: number): Promise<Stripe.Invoice[]> {
    return (await this.call((s) => s.invoices.list({ customer, limit }))).data;
  }

  /** The next invoice of a subscription, or null when there is none (canceled, or nothing due). */
  async upcomingInvoice(customer: string, subscription: string): Promise<Stripe.Invoice | null> {
    try {
      return await this.call((s) => s.invoices.createPreview({ customer, subscription }));
    } catch (error) {
      if (error instanceof AppError && error.code === ErrorCode.BILLING_REJECTED) return null;
      throw error;
    }
  }

  /** One usage report; `identifier` makes Stripe take it once however often it is sent. */
  meterEvent(params: Stripe.Billing.MeterEventCreateParams): Promise<Stripe.Billing.MeterEvent> {
    return this.call((s) => s.billing.meterEvents.create(params));
  }

  private client(): Stripe {
    if (!this.stripe) throw new AppError(ErrorCode.BILLING_MANUAL);
    return this.stripe;
  }

  private async call<T>(work: (stripe: Stripe) => Promise<T>): Promise<T> {
    const stripe = this.client();
    try {
      return await work(stripe);
    } catch (error) {
      throw this.mapped(error);
    }
  }

  /** Stripe's failure as ours (logged with Stripe's words, which never go to the client); anything else as it is. */
  private mapped(error: unknown): unknown {
    if (!(error instanceof Stripe.errors.StripeError)) return error;
    this.logger.warn({
      msg: 'Stripe call failed',
      type: error.type,
      code: error.code,
      status: error.statusCode,
      requestId: error.requestId,
      message: error.message,
    });
    if (error instanceof Stripe.errors.StripeInvalidRequestError || error instanceof Stripe.errors.StripeCardError) {
      return new AppError(ErrorCode.BILLING_REJECTED, {
        reason: error.code && REJECTION_REASONS.has(error.code) ? error.code : 'rejected',
      });
    }
    return new AppError(ErrorCode.BILLING_UNAVAILABLE);
  }
}
