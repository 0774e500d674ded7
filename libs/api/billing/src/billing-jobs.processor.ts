import { InjectQueue, Processor, WorkerHost } from '@nestjs/bullmq';
import type { OnModuleInit } from '@nestjs/common';
import { TenancyService, TenantDb } from '@tenantry/api-tenancy';
import type { TenantSummary } from '@tenantry/contracts';
import type { Job, Queue } from 'bullmq';
import { BillingService } from './billing.service.js';
import { BILLING_QUEUE, StripeEvents, type StripeEventJob } from './stripe-events.js';
import { StripeGateway } from './stripe-gateway.js';
import { SubscriptionSync } from './subscription-sync.js';
import { UsageReporter } from './usage-reporter.js';

/** Billing's jobs: Stripe events (each once), a tenant's Stripe customer after signup; hourly, the end of grace periods and usage to Stripe's meters. */
@Processor(BILLING_QUEUE)
export class BillingJobsProcessor extends WorkerHost implements OnModuleInit {
  constructor(
    private readonly events: StripeEvents,
    private readonly billing: BillingService,
    private readonly db: TenantDb,
    private readonly tenancy: TenancyService,
    private readonly sync: SubscriptionSync,
    private readonly gateway: StripeGateway,
    private readonly usage: UsageReporter,
    @InjectQueue(BILLING_QUEUE) private readonly queue: Queue,
  ) {
    super();
  }

  async onModuleInit(): Promise<void> {
    if (!this.gateway.enabled) return;
    await this.queue.upsertJobScheduler('grace', { every: 3_600_000 }, { name: 'grace' });
    await this.queue.upsertJobScheduler('usage-report', { every: 3_600_000 }, { name: 'usage-report' });
  }

  async process(job: Job): Promise<void> {
    if (job.name === 'stripe-event') return this.events.handle(job.data as StripeEventJob);
    if (job.name === 'grace') {
      await this.sync.enforceGrace();
      return;
    }
    if (job.name === 'usage-report') {
      await this.usage.report();
      return;
    }
    if (job.name === 'create-customer') {
      const tenant = await this.tenancy.find((job.data as TenantSummary).id);
      if (tenant) await this.db.withTenant(tenant, () => this.billing.ensureCustomer());
    }
  }
}
