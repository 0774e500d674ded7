import { Injectable, Logger } from '@nestjs/common';
import { AuditService } from '@tenantry/api-audit';
import { RequestContext } from '@tenantry/api-core';
import { LicensingService, PlanCatalog } from '@tenantry/api-licensing';
import { TenancyService, TenantBillingRepository, TenantDb } from '@tenantry/api-tenancy';
import { type BillingStatus, UUID_PATTERN } from '@tenantry/contracts';
import { BillingAccountsRepository } from './billing-accounts.repository.js';
import { entitlementOf } from './entitlement.js';
import { type Stripe, StripeGateway } from './stripe-gateway.js';
import { WebhooksService } from '@tenantry/api-webhooks';

const ENDED: BillingStatus[] = ['canceled', 'incomplete_expired'];
const idOf = (ref: string | { id: string }) => (typeof ref === 'string' ? ref : ref.id);

/** What the subscription brings in a month (yearly prices spread over 12), in the smallest unit of its currency. */
export function monthlyRevenue(subscription: Stripe.Subscription): { cents: number; currency: string | null } {
  let cents = 0;
  let currency: string | null = null;
  for (const item of subscription.items.data) {
    const amount = (item.price.unit_amount ?? 0) * (item.quantity ?? 1);
    const interval = item.price.recurring?.interval;
    cents += interval === 'year' ? Math.round(amount / 12) : amount;
    currency ??= item.price.currency ?? null;
  }
  return { cents, currency };
}

/**
 * Keeps a tenant in step with its Stripe subscription: the billing account
 * mirrors it, and the tenant's Stripe license (plan, seats, read-only) follows
 * it through LicensingService. Always given the subscription as Stripe has it
 * now (re-read, never taken from an event), so events may come in any order,
 * twice, or late: the result is the same.
 */
@Injectable()
export class SubscriptionSync {
  private readonly logger = new Logger(SubscriptionSync.name);

  constructor(
    private readonly db: TenantDb,
    private readonly tenancy: TenancyService,
    private readonly catalog: PlanCatalog,
    private readonly licensing: LicensingService,
    private readonly audit: AuditService,
    private readonly gateway: StripeGateway,
    private readonly webhooks: WebhooksService,
    private readonly accounts: BillingAccountsRepository,
    private readonly tenantBilling: TenantBillingRepository,
  ) {}

  /** The tenant a subscription belongs to (set by us at checkout), or null for one that is not ours. */
  tenantIdOf(subscription: Stripe.Subscription): string | null {
    const id = subscription.metadata?.tenant_id;
    return id && UUID_PATTERN.test(id) ? id : null;
  }

  /** Applies `subscription` to its tenant, in the tenant's own transaction. */
  async apply(subscription: Stripe.Subscription, now = new Date()): Promise<void> {
    const tenantId = this.tenantIdOf(subscription);
    const tenant = tenantId ? await this.tenancy.byId(tenantId) : null;
    if (!tenant) {
      this.logger.warn({ msg: 'subscription of no known tenant', subscription: subscription.id });
      return;
    }
    await this.db.withTenant(tenant, () => this.applyInTenant(subscription, now));
    this.tenancy.forget(tenant);
  }

  /**
   * The hourly job: past-due tenants whose grace has ended turn read-only
   * (their subscription re-read from Stripe: one paid meanwhile is active).
   */
  async enforceGrace(now = new Date()): Promise<number> {
    const due = await this.tenantBilling.pastDue();
    for (const tenant of due) {
      const account = await this.db.withTenant(tenant, () => this.accounts.subscriptionId());
      if (account?.subscription_id) await this.apply(await this.gateway.subscription(account.subscription_id), now);
    }
    return due.length;
  }

  /** Same, in the resolved tenant's transaction (a request that just changed the subscription). */
  async applyInTenant(subscription: Stripe.Subscription, now = new Date()): Promise<void> {
    const account = await this.accounts.current(true);
    const customer = idOf(subscription.customer);
    if (account.stripeCustomerId && account.stripeCustomerId !== customer) {
      this.logger.warn({ msg: 'subscription of another customer ignored', subscription: subscription.id });
      return;
    }
    const status = subscription.status as BillingStatus;
    // One subscription per tenant: a stale one ending does not undo the current one.
    if (
      account.subscriptionId &&
      account.subscriptionId !== subscription.id &&
      ENDED.includes(status) &&
      !ENDED.includes(account.status)
    )
      return;

    const items = subscription.items.data;
    const plans = await Promise.all(items.map((item) => this.catalog.byStripePrice(item.price.id)));
    const plan = plans.find((p) => p !== null) ?? null;
    if (!plan) {
      this.logger.error({
        msg: 'subscription with no price of a known plan',
        subscription: subscription.id,
        prices: items.map((i) => i.price.id),
      });
      return;
    }
    const seats = items.find((i) => i.price.id === plan.stripeSeatPriceId)?.quantity ?? null;
    const pastDueSince = status === 'past_due' ? (account.pastDueSince ?? now) : null;
    const periodEnd = items[0]?.current_period_end;
    await this.accounts.recordSubscription({
      stripeCustomerId: customer,
      subscriptionId: subscription.id,
      status,
      plan: plan.code,
      seats,
      currentPeriodEnd: periodEnd ? new Date(periodEnd * 1000) : null,
      cancelAtPeriodEnd: subscription.cancel_at_period_end,
      trialEnd: subscription.trial_end ? new Date(subscription.trial_end * 1000) : null,
      pastDueSince,
    });
    const { cents, currency } = monthlyRevenue(subscription);
    await this.tenantBilling.recordSubscription({
      status,
      mrrCents: status === 'active' || status === 'past_due' ? cents : 0,
      currency,
      pastDueSince,
    });

    const entitlement = entitlementOf(status, plan, seats, pastDueSince, now);
    const tenant = RequestContext.current()?.tenant;
    if (tenant?.slug) this.tenancy.forget({ id: tenant.id, slug: tenant.slug }); // limits and read-only follow at once here
    if (entitlement && (await this.licensing.applySubscription(entitlement))) {
      await this.audit.record({
        action: 'billing.subscription_changed',
        actor: { userId: null, label: 'Stripe' },
        target: { type: 'subscription', id: subscription.id, label: plan.name },
        metadata: { status, plan: plan.code, seats, access: entitlement.state },
      });
      await this.webhooks.emit('subscription.changed', {
        subscription: { id: subscription.id, status, plan: plan.code, seats, access: entitlement.state },
      });
    }
  }
}
