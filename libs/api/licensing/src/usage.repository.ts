import { Injectable } from '@nestjs/common';
import { TenantDb } from '@tenantry/api-tenancy';
import type { UsageMetric } from '@tenantry/contracts';

/**
 * Usage moved to Postgres: `usage_counters` (a tenant's count per metric and
 * day) and `usage_flushes` (the batches already applied). Every statement
 * runs in the context's tenant transaction (row-level security scopes it).
 */
@Injectable()
export class UsageRepository {
  constructor(private readonly db: TenantDb) {}

  /** The month's daily counts up to `now`, every metric, by day. */
  async monthDays(now: Date): Promise<{ metric: UsageMetric; day: string; count: number }[]> {
    return (await this.db.manager()).query(
      `select metric, to_char(day, 'YYYY-MM-DD') as day, count::int as count from usage_counters where day >= date_trunc('month', $1::timestamptz) order by day`,
      [now],
    );
  }

  /** The month's total of `metric` moved to Postgres so far. */
  async monthTotal(metric: UsageMetric, now: Date): Promise<number> {
    const [{ used }]: { used: number }[] = await (
      await this.db.manager()
    ).query(
      `select coalesce(sum(count), 0)::int as used from usage_counters where metric = $1 and day >= date_trunc('month', $2::timestamptz)`,
      [metric, now],
    );
    return used;
  }

  /** Daily counts of `metrics` from `from` to `to` (YYYY-MM-DD, both included), by day. */
  async dailyCounts(
    metrics: readonly UsageMetric[],
    from: string,
    to: string,
  ): Promise<{ metric: UsageMetric; day: string; count: string }[]> {
    return (await this.db.manager()).query(
      `select metric, to_char(day, 'YYYY-MM-DD') as day, count from usage_counters
        where metric = any($1) and day between $2::date and $3::date order by day, metric`,
      [metrics, from, to],
    );
  }

  /**
   * Adds a flushed batch's counts (`metric|day` → count), once: false when the
   * batch was applied before (its id is recorded in the same transaction).
   */
  async applyBatch(batch: string, counts: Record<string, string>): Promise<boolean> {
    const m = await this.db.manager();
    const fresh: unknown[] = await m.query(
      'insert into usage_flushes (batch_id) values ($1) on conflict do nothing returning batch_id',
      [batch],
    );
    if (fresh.length === 0) return false;
    for (const [field, n] of Object.entries(counts)) {
      const [metric, day] = field.split('|');
      await m.query(
        `insert into usage_counters (metric, day, count) values ($1, $2, $3)
             on conflict (tenant_id, metric, day) do update set count = usage_counters.count + excluded.count`,
        [metric, day, Number(n)],
      );
    }
    return true;
  }
}
