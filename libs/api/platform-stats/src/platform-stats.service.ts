import { Inject, Injectable, Logger } from '@nestjs/common';
import { REDIS } from '@tenantry/api-core';
import { FeatureFlags } from '@tenantry/api-features';
import { PlanCatalog } from '@tenantry/api-licensing';
import { PeopleService } from '@tenantry/api-people';
import { PlatformDatabase, TenantDataSources } from '@tenantry/api-tenancy';
import {
  type FeatureCode,
  FEATURE_CODES,
  type FeatureOverride,
  type MoneyByCurrency,
  type PlatformStats,
  TENANT_STATUSES,
  type TenantStatus,
} from '@tenantry/contracts';
import type { Redis } from 'ioredis';
import { monthlyRevenue, sumByCurrency } from './revenue.js';

const CACHE_KEY = 'platform-stats';
const CACHE_SECONDS = 60;
const NEAR_LIMIT_PERCENT = 80;

interface TenantRow {
  id: string;
  status: TenantStatus;
  plan: string;
  billing_status: string;
  billing_mrr_cents: string;
  billing_currency: string | null;
  feature_overrides: Partial<Record<FeatureCode, FeatureOverride>>;
  limits_peak: number | null;
}

// One pass over tenants: created and deleted per month, and the running count of live tenants at each month's end.
const GROWTH = `
  with months as (select generate_series(date_trunc('month', now()) - interval '11 months', date_trunc('month', now()), interval '1 month') as m),
       created as (select date_trunc('month', created_at) as m, count(*) as n from tenants group by 1),
       deleted as (select date_trunc('month', deleted_at) as m, count(*) as n from tenants where deleted_at is not null group by 1),
       earlier as (select (select coalesce(sum(n), 0) from created where m < (select min(m) from months))
                        - (select coalesce(sum(n), 0) from deleted where m < (select min(m) from months)) as n)
  select to_char(months.m, 'YYYY-MM') as month, coalesce(c.n, 0)::int as created, coalesce(d.n, 0)::int as deleted,
         ((select n from earlier) + sum(coalesce(c.n, 0) - coalesce(d.n, 0)) over (order by months.m))::int as total
    from months left join created c on c.m = months.m left join deleted d on d.m = months.m
   order by months.m`;

// The people of live tenants ($1, from the people module) and when each last used a session.
const USERS = `
  with people as (select unnest($1::uuid[]) as user_id),
       last_use as (select user_id, max(last_used_at) as used from sessions group by user_id)
  select count(*)::int as total,
         count(*) filter (where l.used > now() - interval '7 days')::int as active7d,
         count(*) filter (where l.used > now() - interval '30 days')::int as active30d
    from people p left join last_use l on l.user_id = p.user_id`;

// Live tenants whose subscription was canceled in the last 30 days (in one database).
const CANCELED = `select count(*)::int as canceled from billing_accounts b join tenants t on t.id = b.tenant_id and t.deleted_at is null
  where b.status = 'canceled' and b.updated_at > now() - interval '30 days'`;
// Tenants there were 30 days ago, and those of them that left since: deleted, or ($1, CANCELED of every database) their subscription canceled.
const CHURN = `
  select (select count(*) from tenants where created_at <= now() - interval '30 days' and (deleted_at is null or deleted_at > now() - interval '30 days'))::int as base,
         ((select count(*) from tenants where created_at <= now() - interval '30 days' and deleted_at > now() - interval '30 days') + $1)::int as churned`;

/**
 * The console's overview: tenants by status and plan, people and how many are
 * active, MRR and churn, growth, feature adoption, tenants near their limits.
 * Read across tenants through the platform data path in a handful of set
 * queries (no query per tenant), cached a minute in Redis for every instance;
 * a daily job keeps a snapshot so MRR and counts have a history.
 */
@Injectable()
export class PlatformStatsService {
  private readonly logger = new Logger(PlatformStatsService.name);

  constructor(
    private readonly platform: PlatformDatabase,
    private readonly sources: TenantDataSources,
    private readonly flags: FeatureFlags,
    private readonly catalog: PlanCatalog,
    private readonly people: PeopleService,
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
    // Dedicated databases hold their tenants' billing accounts: counted there too.
    const dedicated = await this.sources.dedicatedPlatforms();
    const [tenants, canceled] = await Promise.all([
      this.platform.query<TenantRow>(
        'select id, status, plan, billing_status, billing_mrr_cents, billing_currency, feature_overrides, limits_peak from tenants where deleted_at is null',
      ),
      Promise.all([this.platform, ...dedicated].map((db) => db.query<{ canceled: number }>(CANCELED))),
    ]);
    const [[users], [churn], growth, plans] = await Promise.all([
      this.people
        .membersOfTenants(tenants.map((t) => t.id))
        .then((people) => this.platform.query<{ total: number; active7d: number; active30d: number }>(USERS, [people])),
      this.platform.query<{ base: number; churned: number }>(CHURN, [
        canceled.flat().reduce((sum, c) => sum + c.canceled, 0),
      ]),
      this.platform.query<{ month: string; created: number; deleted: number; total: number }>(GROWTH),
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
    await this.snapshot(tenants.length, payingTenants, mrr, users.total);
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
      history: await this.history(),
      featureAdoption: FEATURE_CODES.map((feature) => ({
        feature,
        tenants: adoption[feature],
        share: tenants.length ? adoption[feature] / tenants.length : 0,
      })),
      nearLimits: tenants.filter((t) => (t.limits_peak ?? 0) >= NEAR_LIMIT_PERCENT).length,
    };
  }

  private async snapshot(tenants: number, payingTenants: number, mrr: MoneyByCurrency[], users: number): Promise<void> {
    await this.platform.query(
      `insert into platform_stats_days (day, tenants, paying_tenants, mrr, users) values ((now() at time zone 'UTC')::date, $1, $2, $3, $4)
       on conflict (day) do update set tenants = excluded.tenants, paying_tenants = excluded.paying_tenants, mrr = excluded.mrr, users = excluded.users, computed_at = now()`,
      [tenants, payingTenants, JSON.stringify(mrr), users],
    );
  }

  private async history(): Promise<PlatformStats['history']> {
    const rows = await this.platform.query<{
      day: string;
      tenants: number;
      paying_tenants: number;
      mrr: MoneyByCurrency[];
    }>(
      `select to_char(day, 'YYYY-MM-DD') as day, tenants, paying_tenants, mrr from platform_stats_days where day > (now() at time zone 'UTC')::date - 90 order by day`,
    );
    return rows.map((r) => ({ day: r.day, tenants: r.tenants, payingTenants: r.paying_tenants, mrr: r.mrr }));
  }
}
