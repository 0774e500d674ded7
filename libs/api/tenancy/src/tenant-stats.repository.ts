import { Injectable } from '@nestjs/common';
import type { FeatureCode, FeatureOverride, TenantStatus } from '@tenantry/contracts';
import { PlatformDatabase } from './platform-database.js';

/** A live tenant as the console's figures count it: status, plan, billing copy, feature overrides, limits. */
export interface TenantStatsRow {
  id: string;
  status: TenantStatus;
  plan: string;
  billing_status: string;
  billing_mrr_cents: string;
  billing_currency: string | null;
  feature_overrides: Partial<Record<FeatureCode, FeatureOverride>>;
  limits_peak: number | null;
}

/** Tenants created and deleted in a month, and the live ones at its end. */
export interface TenantGrowthMonth {
  month: string;
  created: number;
  deleted: number;
  total: number;
}

const LIVE_TENANTS =
  'select id, status, plan, billing_status, billing_mrr_cents, billing_currency, feature_overrides, limits_peak from tenants where deleted_at is null';

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

// Tenants there were 30 days ago, and those of them that left since: deleted, or ($1) their subscription canceled.
const CHURN = `
  select (select count(*) from tenants where created_at <= now() - interval '30 days' and (deleted_at is null or deleted_at > now() - interval '30 days'))::int as base,
         ((select count(*) from tenants where created_at <= now() - interval '30 days' and deleted_at > now() - interval '30 days') + $1)::int as churned`;

/**
 * The platform console's figures over `tenants`, read across tenants through
 * the platform data path in set queries (never one query per tenant).
 */
@Injectable()
export class TenantStatsRepository {
  constructor(private readonly platform: PlatformDatabase) {}

  liveTenants(): Promise<TenantStatsRow[]> {
    return this.platform.query<TenantStatsRow>(LIVE_TENANTS);
  }

  /** The last 12 months, oldest first. */
  growth(): Promise<TenantGrowthMonth[]> {
    return this.platform.query<TenantGrowthMonth>(GROWTH);
  }

  /** Tenants there were 30 days ago (`base`), and how many of them left since: deleted, or among `canceled` (live tenants whose subscription was canceled in that time). */
  async churn30d(canceled: number): Promise<{ base: number; churned: number }> {
    const [churn] = await this.platform.query<{ base: number; churned: number }>(CHURN, [canceled]);
    return churn;
  }
}
