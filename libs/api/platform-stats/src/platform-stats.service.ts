import { Inject, Injectable, Logger } from '@nestjs/common';
import { SessionService } from '@tenantry/api-auth';
import { BillingService } from '@tenantry/api-billing';
import { REDIS } from '@tenantry/api-core';
import { FeatureFlags } from '@tenantry/api-features';
import { PlanCatalog } from '@tenantry/api-licensing';
import { PeopleService } from '@tenantry/api-people';
import { TenantStatsRepository } from '@tenantry/api-tenancy';
import { FEATURE_CODES, type PlatformStats, TENANT_STATUSES, type TenantStatus } from '@tenantry/contracts';
import type { Redis } from 'ioredis';
import { PlatformStatsRepository } from './platform-stats.repository.js';
import { monthlyRevenue, sumByCurrency } from './revenue.js';

const CACHE_KEY = 'platform-stats';
const CACHE_SECONDS = 60;
const NEAR_LIMIT_PERCENT = 80;

/**
 * The console's overview: tenants by status and plan, people and how many are
 * active, MRR and churn, growth, feature adoption, tenants near their limits.
 * Read across tenants from the tables' owners (tenancy, billing, auth,
 * people) in a handful of set queries (no query per tenant), cached a minute
 * in Redis for every instance; a daily job keeps a snapshot so MRR and counts
 * have a history.
 */
@Injectable()
export class PlatformStatsService {
  private readonly logger = new Logger(PlatformStatsService.name);

  constructor(
    private readonly tenantStats: TenantStatsRepository,
    private readonly days: PlatformStatsRepository,
    private readonly flags: FeatureFlags,
    private readonly catalog: PlanCatalog,
    private readonly people: PeopleService,
    private readonly billing: BillingService,
    private readonly sessions: SessionService,
    @Inject(REDIS) private readonly redis: Redis,
  ) {}

  /** From the cache when it is younger than a minute; a Redis outage only costs the cache. */
  async overview(): Promise<PlatformStats> {
    const cached = await this.redis.get(CACHE_KEY).catch(() => null);
    if (cached) return JSON.parse(cached) as PlatformStats;
    const stats = await this.compute();
    await this.redis
      .set(CACHE_KEY, JSON.stringify(stats), 'EX', CACHE_SECONDS)
      .catch((error: Error) => this.logger.warn(`stats not cached: ${error.message}`));
    return stats;
  }

  /** Computes the numbers now and keeps today's snapshot (the daily job and a cache miss both call it). */
  async compute(): Promise<PlatformStats> {
    const tenants = await this.tenantStats.liveTenants();
    const ids = tenants.map((t) => t.id);
    // Churn counts live tenants whose subscription was canceled in the last 30 days as gone.
    const [users, churn, growth, plans] = await Promise.all([
      this.people.membersOfTenants(ids).then((people) => this.sessions.activeUsers(people)),
      this.billing.recentlyCanceled(ids).then((canceled) => this.tenantStats.churn30d(canceled)),
      this.tenantStats.growth(),
      this.catalog.all(),
    ]);
    const byStatus = Object.fromEntries(TENANT_STATUSES.map((s) => [s, 0])) as Record<TenantStatus, number>;
    const perPlan = new Map<string, number>();
    for (const t of tenants) {
      byStatus[t.status]++;
      perPlan.set(t.plan, (perPlan.get(t.plan) ?? 0) + 1);
    }
    const listPrice = new Map(plans.map((p) => [p.code, p.listPrice]));
    const revenues = tenants.map((t) =>
      monthlyRevenue({
        status: t.status,
        billingStatus: t.billing_status,
        billingMrrCents: Number(t.billing_mrr_cents),
        billingCurrency: t.billing_currency,
        listPrice: listPrice.get(t.plan) ?? null,
      }),
    );
    const adoption = await this.flags.adoption(
      tenants.map((t) => ({ id: t.id, plan: t.plan, overrides: t.feature_overrides })),
    );
    const mrr = sumByCurrency(revenues);
    const payingTenants = revenues.filter((r) => r !== null && r.amount > 0).length;
    await this.days.saveToday({ tenants: tenants.length, payingTenants, mrr, users: users.total });
    return {
      computedAt: new Date().toISOString(),
      tenants: {
        total: tenants.length,
        byStatus,
        byPlan: plans.map((p) => ({ plan: p.code, name: p.name, tenants: perPlan.get(p.code) ?? 0 })),
      },
      users,
      revenue: {
        mrr,
        payingTenants,
        churn30d: { tenants: churn.churned, rate: churn.base ? churn.churned / churn.base : 0 },
      },
      growth,
      history: await this.days.last90Days(),
      featureAdoption: FEATURE_CODES.map((feature) => ({
        feature,
        tenants: adoption[feature],
        share: tenants.length ? adoption[feature] / tenants.length : 0,
      })),
      nearLimits: tenants.filter((t) => (t.limits_peak ?? 0) >= NEAR_LIMIT_PERCENT).length,
    };
  }
}
