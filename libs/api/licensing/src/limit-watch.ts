import { Injectable } from '@nestjs/common';
import { TenantDb } from '@tenantry/api-tenancy';
import { type LimitUse, type TenantNearLimits, type TenantSummary, USAGE_METRICS } from '@tenantry/contracts';
import { LicensingService } from './licensing.service.js';

interface NearLimitsRow extends TenantSummary {
  plan: string;
  limits_peak: number;
  limits_usage: LimitUse[];
  limits_checked_at: Date;
}

/**
 * "Which tenants are close to a limit?" for the platform console. Seats and
 * monthly usage live in each tenant's own rows (RLS), so a periodic job checks
 * every tenant in its own transaction and copies the result onto `tenants`;
 * the console reads that copy (as old as the last check, which it shows).
 */
@Injectable()
export class LimitWatch {
  constructor(
    private readonly db: TenantDb,
    private readonly licensing: LicensingService,
  ) {}

  /** Checks every live tenant; returns how many. `signal` stops it between two tenants (the next run checks them all again). */
  async checkAll(signal?: AbortSignal): Promise<number> {
    const tenants: TenantSummary[] = await this.db.globalTransaction((m) =>
      m.query('select id, slug, name from tenants where deleted_at is null order by id'),
    );
    for (const tenant of tenants) {
      signal?.throwIfAborted();
      await this.db.withTenant(tenant, () => this.check());
    }
    return tenants.length;
  }

  /** Tenants at or over `threshold` percent of a limit, fullest first (at most 200). */
  async nearLimits(threshold: number): Promise<TenantNearLimits[]> {
    const rows: NearLimitsRow[] = await this.db.globalTransaction((m) =>
      m.query(
        `select id, slug, name, plan, limits_peak, limits_usage, limits_checked_at from tenants
        where deleted_at is null and limits_peak >= $1 order by limits_peak desc, lower(name), id limit 200`,
        [threshold],
      ),
    );
    return rows.map((r) => ({
      tenant: { id: r.id, slug: r.slug, name: r.name },
      plan: r.plan,
      peak: r.limits_peak,
      limits: r.limits_usage,
      checkedAt: r.limits_checked_at.toISOString(),
    }));
  }

  /** The resolved tenant's limits and use, copied onto its row (no limit: no peak). */
  private async check(): Promise<void> {
    const { seats, usage } = await this.licensing.tenantPlan();
    const limits: LimitUse[] = [];
    if (seats.limit !== null) limits.push({ name: 'seats', used: seats.used, limit: seats.limit });
    for (const metric of USAGE_METRICS) {
      const { used, limit } = usage[metric];
      if (limit !== null) limits.push({ name: metric, used, limit });
    }
    const peak = limits.length
      ? Math.max(...limits.map((l) => (l.limit === 0 ? (l.used > 0 ? 100 : 0) : Math.floor((l.used * 100) / l.limit))))
      : null;
    await (
      await this.db.manager()
    ).query('update tenants set limits_usage = $2, limits_peak = $3, limits_checked_at = now() where id = $1', [
      this.db.tenantId,
      JSON.stringify(limits),
      peak,
    ]);
  }
}
