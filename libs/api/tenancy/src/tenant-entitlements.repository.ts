import { Injectable } from '@nestjs/common';
import type { FeatureCode, FeatureOverride, LimitUse, TenantNearLimits, TenantSummary } from '@tenantry/contracts';
import { TenantDb } from './tenant-db.js';

/** A tenant's features turned on or off by hand, by feature. */
export type TenantFeatureOverrides = Partial<Record<FeatureCode, FeatureOverride>>;

/** The tenant's plan, its running trial and whether a license sets its plan. */
export interface TenantTrial {
  plan: string;
  trialEndsAt: Date | null;
  planAfterTrial: string | null;
  licenseStatus: string;
}

/**
 * What a tenant may use, kept on its `tenants` row for licensing and features:
 * its plan and trial, the copy of its license's status, the last check of its
 * limits, and its feature overrides. Methods without a tenant id act on the
 * context's tenant, in its transaction (TenantDb.manager); the others read
 * and write in the request's transaction when it has a tenant, otherwise in
 * one of their own (TenantDb.globalTransaction).
 */
@Injectable()
export class TenantEntitlementsRepository {
  constructor(private readonly db: TenantDb) {}

  /** A tenant's plan code, deleted tenants too; null when there is no such tenant. */
  async planOf(tenantId: string): Promise<string | null> {
    const [row]: { plan: string }[] = await this.db.globalTransaction((m) =>
      m.query('select plan from tenants where id = $1', [tenantId]),
    );
    return row?.plan ?? null;
  }

  /** The context tenant's plan and license status, its row locked until the transaction ends (additions take turns). */
  async lockPlan(): Promise<{ plan: string; licenseStatus: string }> {
    const [tenant]: { plan: string; license_status: string }[] = await (
      await this.db.manager()
    ).query('select plan, license_status from tenants where id = $1 for update', [this.db.tenantId]);
    return { plan: tenant.plan, licenseStatus: tenant.license_status };
  }

  /** Moves the context tenant to a plan for good: a running trial ends. */
  async setPlan(code: string): Promise<void> {
    await (
      await this.db.manager()
    ).query('update tenants set plan = $2, plan_after_trial = null where id = $1', [this.db.tenantId, code]);
  }

  /**
   * Copies the context tenant's license onto its row, which every request
   * reads (read-only mode) and the expiry job scans: its status, and its plan
   * (which ends a running trial) and end date when given.
   */
  async setLicense(change: { plan?: string; status: string; validUntil?: Date | null }): Promise<void> {
    await (
      await this.db.manager()
    ).query(
      `update tenants set license_status = $2, plan = coalesce($3, plan), plan_after_trial = case when $3 is null then plan_after_trial end, license_valid_until = case when $4 then $5::timestamptz else license_valid_until end where id = $1`,
      [
        this.db.tenantId,
        change.status,
        change.plan ?? null,
        change.validUntil !== undefined,
        change.validUntil ?? null,
      ],
    );
  }

  /** Live tenants whose active license ends within `days`, soonest first (at most 500). */
  async licensesEndingWithin(days: number): Promise<{ tenant: TenantSummary; validUntil: Date }[]> {
    const rows: { id: string; slug: string; name: string; license_valid_until: Date }[] =
      await this.db.globalTransaction((m) =>
        m.query(
          `select id, slug, name, license_valid_until from tenants
        where deleted_at is null and license_status = 'active' and license_valid_until < now() + make_interval(days => $1)
        order by license_valid_until limit 500`,
          [days],
        ),
      );
    return rows.map((r) => ({ tenant: { id: r.id, slug: r.slug, name: r.name }, validUntil: r.license_valid_until }));
  }

  /** Live tenants whose active license ends before 30 days after `now` (to expire, or to remind of its end). */
  async licensesEndingWithin30Days(now: Date): Promise<TenantSummary[]> {
    return this.db.globalTransaction((m) =>
      m.query(
        `select id, slug, name from tenants where deleted_at is null and license_status = 'active' and license_valid_until < $1::timestamptz + interval '30 days'`,
        [now],
      ),
    );
  }

  /** The context tenant's plan and trial; `lock` holds its row until the transaction ends. */
  async trial(lock: boolean): Promise<TenantTrial> {
    const [row]: {
      plan: string;
      trial_ends_at: Date | null;
      plan_after_trial: string | null;
      license_status: string;
    }[] = await (
      await this.db.manager()
    ).query(
      `select plan, trial_ends_at, plan_after_trial, license_status from tenants where id = $1${lock ? ' for update' : ''}`,
      [this.db.tenantId],
    );
    return {
      plan: row.plan,
      trialEndsAt: row.trial_ends_at,
      planAfterTrial: row.plan_after_trial,
      licenseStatus: row.license_status,
    };
  }

  /** The context tenant tries `plan` until `endsAt`, then goes back to `planAfter`. */
  async startTrial(plan: string, planAfter: string, endsAt: Date): Promise<void> {
    await (
      await this.db.manager()
    ).query('update tenants set plan = $2, plan_after_trial = $3, trial_ends_at = $4 where id = $1', [
      this.db.tenantId,
      plan,
      planAfter,
      endsAt,
    ]);
  }

  /** Live tenants in a trial that ends before `days` days after `now`. */
  async trialsEndingWithin(now: Date, days: number): Promise<TenantSummary[]> {
    return this.db.globalTransaction((m) =>
      m.query(
        `select id, slug, name from tenants where deleted_at is null and plan_after_trial is not null and trial_ends_at < $1::timestamptz + make_interval(days => $2)`,
        [now, days],
      ),
    );
  }

  /** The context tenant's trial and when its owners were reminded, its row locked until the transaction ends; null without a row. */
  async lockTrial(): Promise<{
    plan: string;
    planAfterTrial: string | null;
    trialEndsAt: Date | null;
    trialRemindedAt: Date | null;
  } | null> {
    const [row]: {
      plan: string;
      plan_after_trial: string | null;
      trial_ends_at: Date | null;
      trial_reminded_at: Date | null;
    }[] = await (
      await this.db.manager()
    ).query('select plan, plan_after_trial, trial_ends_at, trial_reminded_at from tenants where id = $1 for update', [
      this.db.tenantId,
    ]);
    return row
      ? {
          plan: row.plan,
          planAfterTrial: row.plan_after_trial,
          trialEndsAt: row.trial_ends_at,
          trialRemindedAt: row.trial_reminded_at,
        }
      : null;
  }

  /** The context tenant goes back to the plan it had before its trial. */
  async endTrial(): Promise<void> {
    await (
      await this.db.manager()
    ).query('update tenants set plan = plan_after_trial, plan_after_trial = null where id = $1', [this.db.tenantId]);
  }

  async markTrialReminded(): Promise<void> {
    await (
      await this.db.manager()
    ).query('update tenants set trial_reminded_at = now() where id = $1', [this.db.tenantId]);
  }

  /** Live tenants, by id (each to have its limits checked). */
  async liveTenants(): Promise<TenantSummary[]> {
    return this.db.globalTransaction((m) =>
      m.query('select id, slug, name from tenants where deleted_at is null order by id'),
    );
  }

  /** Copies the context tenant's limits and use (and the fullest, in percent; null without a limit) onto its row. */
  async setLimits(limits: LimitUse[], peak: number | null): Promise<void> {
    await (
      await this.db.manager()
    ).query('update tenants set limits_usage = $2, limits_peak = $3, limits_checked_at = now() where id = $1', [
      this.db.tenantId,
      JSON.stringify(limits),
      peak,
    ]);
  }

  /** Live tenants at or over `threshold` percent of a limit at their last check, fullest first (at most 200). */
  async nearLimits(threshold: number): Promise<TenantNearLimits[]> {
    const rows: (TenantSummary & {
      plan: string;
      limits_peak: number;
      limits_usage: LimitUse[];
      limits_checked_at: Date;
    })[] = await this.db.globalTransaction((m) =>
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

  /** The plan and feature overrides of the tenants among `ids` that exist, in no set order. */
  async featureOverrides(ids: string[]): Promise<{ id: string; plan: string; overrides: TenantFeatureOverrides }[]> {
    const rows: { id: string; plan: string; feature_overrides: TenantFeatureOverrides }[] =
      await this.db.globalTransaction((m) =>
        m.query('select id, plan, feature_overrides from tenants where id = any($1)', [ids]),
      );
    return rows.map((r) => ({ id: r.id, plan: r.plan, overrides: r.feature_overrides }));
  }

  /** A tenant's feature overrides; null when there is no such tenant. */
  async featureOverridesOf(tenantId: string): Promise<TenantFeatureOverrides | null> {
    const [row]: { feature_overrides: TenantFeatureOverrides }[] = await this.db.globalTransaction((m) =>
      m.query('select feature_overrides from tenants where id = $1', [tenantId]),
    );
    return row?.feature_overrides ?? null;
  }

  /** The context tenant's override of `code`, or null. */
  async featureOverride(code: FeatureCode): Promise<FeatureOverride | null> {
    const [row]: { value: FeatureOverride | null }[] = await (
      await this.db.manager()
    ).query('select feature_overrides -> $2 as value from tenants where id = $1', [this.db.tenantId, code]);
    return row?.value ?? null;
  }

  /** Turns `code` on or off for the context tenant (`override`), or drops its override (`null`). */
  async setFeatureOverride(code: FeatureCode, override: FeatureOverride | null): Promise<void> {
    const tenantId = this.db.tenantId;
    await (
      await this.db.manager()
    ).query(
      override
        ? `update tenants set feature_overrides = jsonb_set(feature_overrides, array[$2], $3::jsonb) where id = $1`
        : 'update tenants set feature_overrides = feature_overrides - $2 where id = $1',
      override ? [tenantId, code, JSON.stringify(override)] : [tenantId, code],
    );
  }
}
