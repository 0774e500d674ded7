import { Injectable } from '@nestjs/common';
import { PlatformDatabase } from '@tenantry/api-tenancy';
import type { MoneyByCurrency, PlatformStats } from '@tenantry/contracts';

/** A day's snapshot of the console's figures. */
export interface StatsDay {
  tenants: number;
  payingTenants: number;
  mrr: MoneyByCurrency[];
  users: number;
}

const SAVE_TODAY = `insert into platform_stats_days (day, tenants, paying_tenants, mrr, users) values ((now() at time zone 'UTC')::date, $1, $2, $3, $4)
       on conflict (day) do update set tenants = excluded.tenants, paying_tenants = excluded.paying_tenants, mrr = excluded.mrr, users = excluded.users, computed_at = now()`;

const LAST_90_DAYS = `select to_char(day, 'YYYY-MM-DD') as day, tenants, paying_tenants, mrr from platform_stats_days where day > (now() at time zone 'UTC')::date - 90 order by day`;

/** The platform_stats_days table (one row a UTC day), through the platform data path. */
@Injectable()
export class PlatformStatsRepository {
  constructor(private readonly platform: PlatformDatabase) {}

  /** Keeps today's snapshot (the last one computed today wins). */
  async saveToday(day: StatsDay): Promise<void> {
    await this.platform.query(SAVE_TODAY, [day.tenants, day.payingTenants, JSON.stringify(day.mrr), day.users]);
  }

  /** The snapshots of the last 90 days, oldest first. */
  async last90Days(): Promise<PlatformStats['history']> {
    const rows = await this.platform.query<{
      day: string;
      tenants: number;
      paying_tenants: number;
      mrr: MoneyByCurrency[];
    }>(LAST_90_DAYS);
    return rows.map((r) => ({ day: r.day, tenants: r.tenants, payingTenants: r.paying_tenants, mrr: r.mrr }));
  }
}
