import { createHash } from 'node:crypto';
import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import { AppError, assertQueueReachable, RequestContext } from '@tenantry/api-core';
import { LicensingService, PlanCatalog } from '@tenantry/api-licensing';
import { PeopleService } from '@tenantry/api-people';
import { TenancyService, TenantBillingRepository, TenantDb } from '@tenantry/api-tenancy';
import {
  type BillingOverview,
  type BillingStatus,
  ErrorCode,
  type InvoiceSummary,
  type Plan,
  type PlatformBilling,
  type PublicPlans,
  type RedirectUrl,
  type TenantSummary,
} from '@tenantry/contracts';
import type { Queue } from 'bullmq';
import { BillingAccountsRepository } from './billing-accounts.repository.js';
import { graceEnd } from './entitlement.js';
import type { BillingAccountEntity } from './entities/billing-account.entity.js';
import { BILLING_QUEUE } from './stripe-events.js';
import { type Stripe, StripeGateway } from './stripe-gateway.js';
import { SubscriptionSync } from './subscription-sync.js';

const LIVE: BillingStatus[] = ['trialing', 'active', 'past_due', 'unpaid', 'paused', 'incomplete'];
const toDate = (unix: number | null | undefined) => (unix ? new Date(unix * 1000).toISOString() : null);

const toInvoice = (i: Stripe.Invoice): InvoiceSummary => ({
  id: i.id!,
  number: i.number,
  status: i.status,
  amount: i.amount_due,
  currency: i.currency,
  createdAt: new Date(i.created * 1000).toISOString(),
  url: i.hosted_invoice_url ?? null,
  pdfUrl: i.invoice_pdf ?? null,
});

/**
 * What a tenant pays and how it changes it. Stripe mode: a customer per
 * tenant, Checkout for the first subscription (base price plus a per-seat
 * price), in-place plan and seat changes with proration, the Customer Portal
 * for payment methods; the entitlement follows what Stripe answers (never what
 * was asked). Manual mode (no STRIPE_SECRET_KEY): super admins set plan and
 * seats with licenses, and changes here answer 409 BILLING_MANUAL.
 */
@Injectable()
export class BillingService {
  constructor(
    private readonly gateway: StripeGateway,
    private readonly sync: SubscriptionSync,
    private readonly db: TenantDb,
    private readonly tenancy: TenancyService,
    private readonly catalog: PlanCatalog,
    private readonly licensing: LicensingService,
    private readonly people: PeopleService,
    private readonly accounts: BillingAccountsRepository,
    private readonly tenantBilling: TenantBillingRepository,
    @InjectQueue(BILLING_QUEUE) private readonly queue: Queue,
  ) {}

  /** Stripe mode (STRIPE_SECRET_KEY set), else manual billing. */
  get stripeMode(): boolean {
    return this.gateway.enabled;
  }

  /** The catalog for the signup wizard (public): what each plan allows, its trial, and whether it is bought through Stripe here. */
  async publicPlans(): Promise<PublicPlans> {
    const plans = (await this.catalog.all()).map((p) => ({
      code: p.code,
      name: p.name,
      seats: p.seats,
      monthlyLimits: p.monthlyLimits,
      features: p.features,
      trialDays: p.trialDays,
      purchasable: this.gateway.enabled && !!p.stripePriceId && !!p.stripeSeatPriceId,
    }));
    return { mode: this.gateway.enabled ? 'stripe' : 'manual', plans };
  }

  /** After signup (Stripe mode): the tenant's Stripe customer is made by a job, retried until Stripe answers. */
  async tenantCreated(tenant: TenantSummary): Promise<void> {
    if (!this.gateway.enabled) return;
    await assertQueueReachable(this.queue);
    await this.queue.add('create-customer', tenant, {
      jobId: `customer-${tenant.id}`,
      attempts: 10,
      backoff: { type: 'exponential', delay: 5_000 },
      removeOnComplete: true,
    });
  }

  /**
   * The job's work (and checkout's, when the job has not run yet): one
   * customer per tenant, whatever the retries. The account row is locked, so
   * concurrent callers wait for the first; a customer an earlier attempt made
   * without recording it (its answer lost) is found by its metadata, or
   * replayed by Stripe under the same key while the parameters are the same;
   * other parameters (a renamed tenant, another owner) make a new request.
   */
  async ensureCustomer(): Promise<string> {
    const account = await this.accounts.current(true);
    if (account.stripeCustomerId) return account.stripeCustomerId;
    const tenant = RequestContext.current()!.tenant!;
    // The first owner by email: the same one every time, so the request below stays idempotent.
    const [owner] = await this.people.owners();
    const params = { name: tenant.name, email: owner?.email, metadata: { tenant_id: tenant.id, slug: tenant.slug } };
    const digest = createHash('sha256').update(JSON.stringify(params)).digest('hex').slice(0, 16);
    const customer =
      (await this.gateway.customerOfTenant(tenant.id)) ??
      (await this.gateway.createCustomer(params, `tenantry-customer-${tenant.id}-${digest}`));
    await this.accounts.setCustomer(customer.id);
    return customer.id;
  }

  async overview(): Promise<BillingOverview> {
    const account = await this.accounts.current(false);
    const { plan, seats } = await this.licensing.seatUse();
    const purchasable = (await this.catalog.all())
      .filter((p) => p.stripePriceId && p.stripeSeatPriceId)
      .map(({ code, name, trialDays }) => ({ code, name, trialDays }));
    const live = account.subscriptionId && LIVE.includes(account.status);
    const [upcoming, invoices] =
      this.gateway.enabled && account.stripeCustomerId
        ? await Promise.all([
            live ? this.gateway.upcomingInvoice(account.stripeCustomerId, account.subscriptionId!) : null,
            this.gateway.invoices(account.stripeCustomerId, 12),
          ])
        : [null, []];
    return {
      mode: this.gateway.enabled ? 'stripe' : 'manual',
      plan: { code: plan.code, name: plan.name },
      status: account.status,
      seats: { ...seats, paid: account.seats },
      currentPeriodEnd: account.currentPeriodEnd?.toISOString() ?? null,
      cancelAtPeriodEnd: account.cancelAtPeriodEnd,
      trialEnd: account.trialEnd?.toISOString() ?? null,
      pastDue:
        account.status === 'past_due' && account.pastDueSince
          ? {
              since: account.pastDueSince.toISOString(),
              suspendsAt: graceEnd(account.pastDueSince, plan).toISOString(),
            }
          : null,
      nextInvoice: upcoming
        ? {
            date: toDate(upcoming.next_payment_attempt ?? upcoming.period_end)!,
            amount: upcoming.amount_due,
            currency: upcoming.currency,
          }
        : null,
      invoices: invoices.map(toInvoice),
      purchasable: this.gateway.enabled ? purchasable : [],
    };
  }

  /** The console's view across tenants: MRR, subscriptions by status, failed payments (read from the copies on `tenants`). */
  async platformSummary(): Promise<PlatformBilling> {
    return this.db.globalTransaction(async (m) => {
      const mrr = await this.tenantBilling.mrrByCurrency(m);
      const statuses = await this.tenantBilling.countByBillingStatus(m);
      const failed = await this.tenantBilling.failedPayments(m);
      const plans = new Map((await this.catalog.all()).map((p) => [p.code, p]));
      const suspendsAt = (r: (typeof failed)[number]) =>
        graceEnd(r.since, plans.get(r.plan) ?? { graceDays: 0 }).toISOString();
      return {
        mode: this.gateway.enabled ? 'stripe' : 'manual',
        mrr: mrr.map((r) => ({ currency: r.currency, amount: Number(r.amount) })),
        byStatus: Object.fromEntries(statuses.map((r) => [r.status, r.n])),
        failedPayments: failed.map((r) => ({
          tenant: { id: r.id, slug: r.slug, name: r.name },
          plan: r.plan,
          since: r.since.toISOString(),
          suspendsAt: suspendsAt(r),
          amount: Number(r.amount),
          currency: r.currency,
        })),
      };
    });
  }

  /** How many of `tenantIds` had their subscription canceled in the last 30 days (the console's churn), in every database. */
  recentlyCanceled(tenantIds: string[]): Promise<number> {
    return this.accounts.canceledIn30Days(tenantIds);
  }

  /** A Checkout Session for the tenant's first subscription: base price, seats at least as many as in use, the plan's trial once. */
  async checkout(
    code: string,
    seats: number | undefined,
    returnTo: 'billing' | 'welcome' = 'billing',
  ): Promise<RedirectUrl> {
    const plan = await this.purchasable(code);
    const account = await this.accounts.current(true);
    if (account.subscriptionId && LIVE.includes(account.status)) throw new AppError(ErrorCode.SUBSCRIPTION_EXISTS);
    const quantity = await this.seatsFor(seats);
    const customer = await this.ensureCustomer();
    const tenant = RequestContext.current()!.tenant!;
    const tried = await this.tenantBilling.trialTaken();
    const trialDays = !tried && plan.trialDays > 0 && account.status === 'none' ? plan.trialDays : undefined;
    const session = await this.gateway.createCheckoutSession({
      mode: 'subscription',
      customer,
      client_reference_id: tenant.id,
      line_items: [
        { price: plan.stripePriceId!, quantity: 1 },
        { price: plan.stripeSeatPriceId!, quantity },
      ],
      subscription_data: { metadata: { tenant_id: tenant.id }, ...(trialDays && { trial_period_days: trialDays }) },
      // The wizard runs on the platform's own address, where the new owner's session is (cookies are per host).
      success_url:
        returnTo === 'welcome'
          ? this.tenancy.platformUrl('/welcome?checkout=done')
          : this.tenancy.urlOf(tenant.slug, '/settings/billing?checkout=done'),
      cancel_url:
        returnTo === 'welcome'
          ? this.tenancy.platformUrl('/welcome?checkout=cancelled')
          : this.tenancy.urlOf(tenant.slug, '/settings/billing?checkout=cancelled'),
    });
    return { url: session.url! };
  }

  /** The Customer Portal (payment methods, invoices, cancellation), back to Settings → Billing. */
  async portal(): Promise<RedirectUrl> {
    const customer = await this.ensureCustomer();
    const tenant = RequestContext.current()!.tenant!;
    return {
      url: (await this.gateway.createPortalSession(customer, this.tenancy.urlOf(tenant.slug, '/settings/billing'))).url,
    };
  }

  /** Paid seats, prorated; the seat limit follows Stripe's answer. Never fewer than members plus pending invitations. */
  async changeSeats(seats: number): Promise<BillingOverview> {
    const { account, subscription } = await this.liveSubscription();
    const quantity = await this.seatsFor(seats);
    const plan = await this.catalog.get(account.plan!);
    const item = subscription.items.data.find((i) => i.price.id === plan.stripeSeatPriceId);
    if (!item) throw new AppError(ErrorCode.PLAN_NOT_PURCHASABLE, { code: plan.code });
    if (item.quantity !== quantity)
      await this.sync.applyInTenant(await this.gateway.updateQuantity(subscription.id, item.id, quantity));
    return this.overview();
  }

  /** Another plan in place (upgrade or downgrade, prorated): both prices swap, seats stay. */
  async changePlan(code: string): Promise<BillingOverview> {
    const plan = await this.purchasable(code);
    const { account, subscription } = await this.liveSubscription();
    const from = await this.catalog.get(account.plan!);
    const items = subscription.items.data.map((i) => ({
      id: i.id,
      price: i.price.id === from.stripeSeatPriceId ? plan.stripeSeatPriceId! : plan.stripePriceId!,
    }));
    await this.sync.applyInTenant(
      await this.gateway.updateSubscription(subscription.id, { items, proration_behavior: 'create_prorations' }),
    );
    return this.overview();
  }

  /** Cancel at the end of the period (access stays until then), or take that back. */
  async cancelAtPeriodEnd(cancel: boolean): Promise<BillingOverview> {
    const { subscription } = await this.liveSubscription();
    await this.sync.applyInTenant(
      await this.gateway.updateSubscription(subscription.id, { cancel_at_period_end: cancel }),
    );
    return this.overview();
  }

  private async purchasable(code: string): Promise<Plan> {
    if (!this.gateway.enabled) throw new AppError(ErrorCode.BILLING_MANUAL);
    const plan = await this.catalog.get(code);
    if (!plan.stripePriceId || !plan.stripeSeatPriceId) throw new AppError(ErrorCode.PLAN_NOT_PURCHASABLE, { code });
    return plan;
  }

  private async liveSubscription(): Promise<{ account: BillingAccountEntity; subscription: Stripe.Subscription }> {
    if (!this.gateway.enabled) throw new AppError(ErrorCode.BILLING_MANUAL);
    const account = await this.accounts.current(true);
    if (!account.subscriptionId || !LIVE.includes(account.status)) throw new AppError(ErrorCode.NO_SUBSCRIPTION);
    return { account, subscription: await this.gateway.subscription(account.subscriptionId) };
  }

  /** Seats to pay for: as asked (or as in use), never fewer than in use. */
  private async seatsFor(asked: number | undefined): Promise<number> {
    const { used } = (await this.licensing.seatUse()).seats;
    if (asked !== undefined && asked < used) throw new AppError(ErrorCode.SEATS_BELOW_USE, { used, asked });
    return Math.max(asked ?? used, 1);
  }
}
