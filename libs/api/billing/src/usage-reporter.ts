import { Injectable } from '@nestjs/common';
import { UsageMeter } from '@tenantry/api-licensing';
import { TenantBillingRepository, TenantDb } from '@tenantry/api-tenancy';
import { USAGE_METRICS } from '@tenantry/contracts';
import { BillingAccountsRepository } from './billing-accounts.repository.js';
import { StripeGateway } from './stripe-gateway.js';
import { UsageReportsRepository } from './usage-reports.repository.js';

const DAY = 86_400_000;
// A day is reported once it is over and its last counts had time to leave Redis (flushed every minute).
const SETTLED_MS = 15 * 60_000;
// Stripe takes meter events up to 35 days old.
const OLDEST_DAYS = 35;

/**
 * Metered usage to Stripe Billing Meters: each finished day of each metric,
 * once per tenant (one meter event per slice, named by the metric, with the
 * identifier `<tenant>:<metric>:<day>`). The slice is recorded in
 * `usage_reports` after Stripe took it; a run that fails between the two sends
 * the same identifier again, which Stripe takes once.
 */
@Injectable()
export class UsageReporter {
  constructor(
    private readonly db: TenantDb,
    private readonly gateway: StripeGateway,
    private readonly usage: UsageMeter,
    private readonly accounts: BillingAccountsRepository,
    private readonly reports: UsageReportsRepository,
    private readonly tenantBilling: TenantBillingRepository,
  ) {}

  /** The hourly job: returns how many slices were reported. */
  async report(now = new Date()): Promise<number> {
    const tenants = await this.tenantBilling.billedForUsage();
    const lastDay = new Date(now.getTime() - SETTLED_MS - DAY).toISOString().slice(0, 10);
    const firstDay = new Date(now.getTime() - OLDEST_DAYS * DAY).toISOString().slice(0, 10);
    let reported = 0;
    for (const tenant of tenants) {
      reported += await this.db.withTenant(tenant, async () => {
        const account = await this.accounts.usageCustomer();
        if (!account?.stripe_customer_id || !account.usage_reported_from) return 0;
        const from = account.usage_reported_from > firstDay ? account.usage_reported_from : firstDay;
        const reported = await this.reports.reportedBetween(from, lastDay);
        const done = new Set(reported.map((r) => `${r.metric}|${r.day}`));
        const slices = (await this.usage.dailyCounts(USAGE_METRICS, from, lastDay)).filter(
          (c) => !done.has(`${c.metric}|${c.day}`),
        );
        for (const slice of slices) {
          await this.gateway.meterEvent({
            event_name: slice.metric,
            identifier: `${tenant.id}:${slice.metric}:${slice.day}`,
            payload: { stripe_customer_id: account.stripe_customer_id, value: slice.count },
            timestamp: Math.floor(new Date(`${slice.day}T23:59:59Z`).getTime() / 1000),
          });
          await this.reports.record(slice.metric, slice.day, slice.count);
        }
        return slices.length;
      });
    }
    return reported;
  }
}
