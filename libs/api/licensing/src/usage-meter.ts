import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { AppError, REDIS, RequestContext } from '@tenantry/api-core';
import { MailerService } from '@tenantry/api-mailer';
import { PeopleService } from '@tenantry/api-people';
import { TenantDb } from '@tenantry/api-tenancy';
import { ErrorCode, type UsageMetric } from '@tenantry/contracts';
import type { Redis } from 'ioredis';
import { usageWarningMail } from './licenses.js';
import { countPlanQuota, type UsageOutcome, type UsageUnit } from './plan-quota-count.js';
import { PlanCatalog } from './plan-catalog.js';
import { UsageRepository } from './usage.repository.js';

const DIRTY = 'usage:dirty';
const BATCHES = 'usage:batches';
const pending = (tenantId: string) => `usage:pending:${tenantId}`;
const flushing = (tenantId: string, batch: string) => `usage:flushing:${tenantId}:${batch}`;
const monthKey = (tenantId: string, metric: UsageMetric, month: string) => `usage:month:${tenantId}:${metric}:${month}`;
const dayOf = (d: Date) => d.toISOString().slice(0, 10);
const monthOf = (d: Date) => d.toISOString().slice(0, 7);
const MOVE_TO_BATCH = `
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('RENAME', KEYS[1], KEYS[2])
redis.call('SADD', KEYS[3], ARGV[1])
return 1`;
/** How long a month's count and its warning flags are kept: past the month's end. */
const KEEP_SECONDS = 40 * 86_400;
const nextMonth = (d: Date) => new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1));

/**
 * Usage per tenant and metric: counted in Redis as it happens (one script, shared
 * with the rate limit for API-key calls: see plan-quota-count.ts),
 * moved to Postgres `usage_counters` by a job every minute and at shutdown
 * (the app's GracefulShutdown, once requests and jobs are done).
 * A flush renames the tenant's pending hash to a batch, applies it once (its
 * id is recorded in the same transaction) and then deletes it, so a retried
 * flush never counts twice and a Redis restart loses at most the unflushed minute.
 */
@Injectable()
export class UsageMeter {
  private readonly logger = new Logger(UsageMeter.name);

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    private readonly db: TenantDb,
    private readonly usage: UsageRepository,
    private readonly mailer: MailerService,
    private readonly catalog: PlanCatalog,
    private readonly people: PeopleService,
  ) {}

  /**
   * Counts one unit of `metric` for the resolved tenant, after checking the
   * plan's monthly limit: 429 USAGE_LIMIT_REACHED (402 for `hardCap`) with the
   * metric, used, limit and reset time when the month's allowance is spent.
   */
  async count(metric: UsageMetric, options: { hardCap?: boolean } = {}): Promise<void> {
    const unit = await this.unit(metric);
    await this.settle(unit, (await countPlanQuota(this.redis, null, unit)).usage!, options);
  }

  /** One unit of `metric` for the resolved tenant, to count alone (`count`) or with a request's rate window (TenantRateLimitGuard), then `settle`. */
  async unit(metric: UsageMetric): Promise<UsageUnit> {
    const now = new Date();
    const tenant = RequestContext.current()!.tenant!;
    const limit = await this.limitOf(tenant.plan, metric);
    const warned = (level: number) => `usage:warned:${tenant.id}:${metric}:${monthOf(now)}:${level}`;
    return {
      metric,
      tenantId: tenant.id,
      at: now,
      keys: {
        month: monthKey(tenant.id, metric, monthOf(now)),
        pending: pending(tenant.id),
        dirty: DIRTY,
        warned80: warned(80),
        warned100: warned(100),
      },
      field: `${metric}|${dayOf(now)}`,
      limit,
      warnFrom: limit === null ? 0 : Math.ceil(limit * 0.8),
      keepSeconds: KEEP_SECONDS,
      rebuild: () => this.monthUsed(tenant.id, metric, now),
    };
  }

  /** Refuses a unit over the limit; mails the tenant's admins when it was the first to reach 80 % or 100 % of the month's limit (once per month each). */
  async settle(unit: UsageUnit, outcome: UsageOutcome, options: { hardCap?: boolean } = {}): Promise<void> {
    if (outcome.over) {
      throw new AppError(options.hardCap ? ErrorCode.PLAN_LIMIT_REACHED : ErrorCode.USAGE_LIMIT_REACHED, {
        metric: unit.metric,
        used: outcome.used,
        limit: unit.limit,
        resetsAt: nextMonth(unit.at).toISOString(),
      });
    }
    if (outcome.firstWarning === null) return;
    const tenant = RequestContext.current()!.tenant!;
    for (const email of await this.people.adminEmails())
      await this.mailer.send(
        usageWarningMail(email, tenant.name, unit.metric, outcome.used, unit.limit!, nextMonth(unit.at)),
      );
  }

  /** This month's use: Redis's running count, rebuilt from Postgres plus the unflushed part after a Redis restart. */
  async monthUsed(tenantId: string, metric: UsageMetric, now = new Date()): Promise<number> {
    const key = monthKey(tenantId, metric, monthOf(now));
    const cached = await this.available(() => this.redis.get(key));
    if (cached !== null) return Number(cached);
    const used = await this.usage.monthTotal(metric, now);
    const unflushed = Object.entries(await this.available(() => this.redis.hgetall(pending(tenantId))))
      .filter(([field]) => field.startsWith(`${metric}|${monthOf(now)}`))
      .reduce((sum, [, n]) => sum + Number(n), 0);
    await this.available(() => this.redis.set(key, used + unflushed, 'EX', KEEP_SECONDS, 'NX'));
    return Number(await this.available(() => this.redis.get(key)));
  }

  /** The resolved tenant's daily counts of `metrics` moved to Postgres, from `from` to `to` (YYYY-MM-DD, both included), by day. */
  async dailyCounts(
    metrics: readonly UsageMetric[],
    from: string,
    to: string,
  ): Promise<{ metric: UsageMetric; day: string; count: string }[]> {
    return this.usage.dailyCounts(metrics, from, to);
  }

  /** Moves every tenant's counted usage to Postgres (the job, and shutdown). Returns the batches applied. */
  async flush(): Promise<number> {
    for (const tenantId of await this.redis.smembers(DIRTY)) {
      await this.redis.srem(DIRTY, tenantId);
      const batch = randomUUID();
      // One script: counts made from now on start a new pending hash, and the batch is listed in the same step (a crash can not orphan it).
      await this.redis.eval(
        MOVE_TO_BATCH,
        3,
        pending(tenantId),
        flushing(tenantId, batch),
        BATCHES,
        `${tenantId}:${batch}`,
      );
    }
    let applied = 0;
    // Every batch left: the new ones, and any a crashed flush applied but could not delete.
    for (const entry of await this.redis.smembers(BATCHES)) {
      const [tenantId, batch] = entry.split(':');
      const counts = await this.redis.hgetall(flushing(tenantId, batch));
      await this.db.withTenant({ id: tenantId }, async () => {
        if (await this.usage.applyBatch(batch, counts)) applied++;
      });
      await this.redis.del(flushing(tenantId, batch));
      await this.redis.srem(BATCHES, entry);
    }
    return applied;
  }

  private async limitOf(planCode: string | undefined, metric: UsageMetric): Promise<number | null> {
    return (await this.catalog.find(planCode))?.monthlyLimits[metric] ?? null;
  }

  private async available<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch {
      throw new AppError(ErrorCode.UNHEALTHY, { components: { redis: 'down' } });
    }
  }
}
