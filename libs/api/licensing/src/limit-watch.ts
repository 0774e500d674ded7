import { Injectable } from '@nestjs/common';
import { TenantDb, TenantEntitlementsRepository } from '@tenantry/api-tenancy';
import { type LimitUse, type TenantNearLimits, USAGE_METRICS } from '@tenantry/contracts';
import { LicensingService } from './licensing.service.js';

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
    private readonly entitlements: TenantEntitlementsRepository,
    private readonly licensing: LicensingService,
  ) {}

  /** Checks every live tenant; returns how many. `signal` stops it between two tenants (the next run checks them all again). */
  async checkAll(signal?: AbortSignal): Promise<number> {
    const tenants = await this.entitlements.liveTenants();
    for (const tenant of tenants) {
      signal?.throwIfAborted();
      await this.db.withTenant(tenant, () => this.check());
    }
    return tenants.length;
  }

  /** Tenants at or over `threshold` percent of a limit, fullest first (at most 200). */
  async nearLimits(threshold: number): Promise<TenantNearLimits[]> {
    return this.entitlements.nearLimits(threshold);
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
    await this.entitlements.setLimits(limits, peak);
  }
}
