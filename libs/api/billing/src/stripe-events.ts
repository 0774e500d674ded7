import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger } from '@nestjs/common';
import { PlanCatalog } from '@tenantry/api-licensing';
import { PeopleService } from '@tenantry/api-people';
import { MailerService } from '@tenantry/api-mailer';
import { TenancyService, TenantDb } from '@tenantry/api-tenancy';
import type { Queue } from 'bullmq';
import { paymentFailedMail, trialWillEndMail } from './billing-mails.js';
import { BillingAccountsRepository } from './billing-accounts.repository.js';
import { graceEnd } from './entitlement.js';
import { ProcessedWebhookEventsRepository } from './processed-webhook-events.repository.js';
import { StripeGateway, type Stripe } from './stripe-gateway.js';
import { SubscriptionSync } from './subscription-sync.js';
import { assertQueueReachable } from '@tenantry/api-core';

export const BILLING_QUEUE = 'billing';

/** What a queued event carries: enough to re-read its object from Stripe. */
export interface StripeEventJob {
  id: string;
  type: string;
  objectId: string;
}

const HANDLED = new Set([
  'checkout.session.completed',
  'customer.subscription.created',
  'customer.subscription.updated',
  'customer.subscription.deleted',
  'customer.subscription.trial_will_end',
  'invoice.paid',
  'invoice.payment_failed',
]);

/**
 * Stripe's webhooks: a verified event is recorded once (its id is unique in
 * `processed_webhook_events`) and queued once in the same transaction, so five
 * deliveries of one event make one job, and a failure to queue makes Stripe
 * deliver it again. The job re-reads the subscription from Stripe and applies it.
 */
@Injectable()
export class StripeEvents {
  private readonly logger = new Logger(StripeEvents.name);

  constructor(
    private readonly gateway: StripeGateway,
    private readonly sync: SubscriptionSync,
    private readonly db: TenantDb,
    private readonly tenancy: TenancyService,
    private readonly catalog: PlanCatalog,
    private readonly mailer: MailerService,
    private readonly people: PeopleService,
    private readonly accounts: BillingAccountsRepository,
    private readonly processed: ProcessedWebhookEventsRepository,
    @InjectQueue(BILLING_QUEUE) private readonly queue: Queue,
  ) {}

  /** A webhook delivery: 400 WEBHOOK_SIGNATURE_INVALID unless signed with our secret within 300 s. */
  async receive(rawBody: Buffer, signature: string | undefined): Promise<{ received: true; duplicate: boolean }> {
    const event = this.gateway.event(rawBody, signature);
    const objectId = (event.data.object as { id?: string }).id ?? '';
    const duplicate = await this.db.globalTransaction(async (m) => {
      if (!(await this.processed.recordOnce(m, event.id, event.type))) return true;
      if (HANDLED.has(event.type)) {
        const job: StripeEventJob = { id: event.id, type: event.type, objectId };
        await assertQueueReachable(this.queue);
        await this.queue.add('stripe-event', job, {
          jobId: `event-${event.id}`,
          attempts: 8,
          backoff: { type: 'exponential', delay: 2_000 },
          removeOnComplete: 1000,
          removeOnFail: 5000,
        });
      }
      return false;
    });
    return { received: true, duplicate };
  }

  /** The job: brings the event's subscription (as Stripe has it now) to its tenant, and tells owners what they must know. */
  async handle(job: StripeEventJob, now = new Date()): Promise<void> {
    const subscription = await this.subscriptionOf(job);
    if (subscription) await this.sync.apply(subscription, now);
    if (subscription && job.type === 'invoice.payment_failed') {
      await this.mailOwners(subscription, (email, name, link, plan, account) =>
        paymentFailedMail(email, name, graceEnd(account.pastDueSince ?? now, plan), link),
      );
    }
    if (subscription?.trial_end && job.type === 'customer.subscription.trial_will_end') {
      const endsAt = new Date(subscription.trial_end * 1000);
      await this.mailOwners(subscription, (email, name, link, plan) =>
        trialWillEndMail(email, name, plan.name, endsAt, link),
      );
    }
    await this.processed.markProcessed(job.id, job.type);
  }

  private async subscriptionOf(job: StripeEventJob): Promise<Stripe.Subscription | null> {
    if (job.type === 'checkout.session.completed') {
      const session = await this.gateway.checkoutSession(job.objectId);
      return session.subscription
        ? this.gateway.subscription(
            typeof session.subscription === 'string' ? session.subscription : session.subscription.id,
          )
        : null;
    }
    if (job.type.startsWith('invoice.')) {
      const invoice = await this.gateway.invoice(job.objectId);
      const ref = invoice.parent?.subscription_details?.subscription;
      return ref ? this.gateway.subscription(typeof ref === 'string' ? ref : ref.id) : null;
    }
    return this.gateway.subscription(job.objectId);
  }

  private async mailOwners(
    subscription: Stripe.Subscription,
    build: (
      email: string,
      tenantName: string,
      link: string,
      plan: { name: string; graceDays: number },
      account: { pastDueSince: Date | null },
    ) => Parameters<MailerService['send']>[0],
  ): Promise<void> {
    const tenantId = this.sync.tenantIdOf(subscription);
    const tenant = tenantId ? await this.tenancy.byId(tenantId) : null;
    if (!tenant) return;
    await this.db.withTenant(tenant, async () => {
      const account = await this.accounts.planAndPastDue();
      const plan = await this.catalog.find(account?.plan ?? undefined);
      if (!account || !plan) return;
      const link = this.tenancy.urlOf(tenant.slug, '/settings/billing');
      for (const { email } of await this.people.owners()) {
        await this.mailer.send(build(email, tenant.name, link, plan, { pastDueSince: account.past_due_since }));
      }
    });
    this.logger.log({ msg: 'owners mailed', subscription: subscription.id });
  }
}
