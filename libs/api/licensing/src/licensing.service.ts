import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { AuditService } from '@tenantry/api-audit';
import { AppError, type AppConfig, type AuthUser } from '@tenantry/api-core';
import { MailerService } from '@tenantry/api-mailer';
import { PeopleService } from '@tenantry/api-people';
import { TenancyService, TenantDb, TenantEntitlementsRepository } from '@tenantry/api-tenancy';
import {
  ErrorCode,
  type ExpiringLicense,
  type License,
  type Plan,
  type TenantPlan,
  type TenantSummary,
  USAGE_METRICS,
} from '@tenantry/contracts';
import type { IssueLicenseDto } from './dto/license.dto.js';
import type { LicenseEntity } from './entities/license.entity.js';
import { generateLicenseKeyPair, signLicenseKey } from './license-key.js';
import { expiryReminderMail, reminderDue, toLicense } from './licenses.js';
import { LicensesRepository } from './licenses.repository.js';
import { PlanCatalog } from './plan-catalog.js';
import { Trials } from './trials.js';
import { UsageMeter } from './usage-meter.js';
import { UsageRepository } from './usage.repository.js';

/** Where a tenant goes when its subscription ends (and where signup starts). */
export const FREE_PLAN = 'free';

/**
 * Plans, licenses and what they allow a tenant. Seats: every new membership
 * and invitation asks first, holding a lock on the tenant's row until its
 * transaction ends, so concurrent requests can never take more seats than
 * allowed. Lowering a plan blocks new people and removes nobody. Licenses:
 * issued, renewed, suspended and revoked by super admins; expired by the
 * daily job; their status is copied onto the tenant for read-only mode.
 */
@Injectable()
export class LicensingService {
  private readonly logger = new Logger(LicensingService.name);
  private readonly signingKey: string;

  constructor(
    private readonly db: TenantDb,
    private readonly tenancy: TenancyService,
    private readonly entitlements: TenantEntitlementsRepository,
    private readonly licensesTable: LicensesRepository,
    private readonly usageCounts: UsageRepository,
    private readonly audit: AuditService,
    private readonly mailer: MailerService,
    private readonly usageMeter: UsageMeter,
    private readonly catalog: PlanCatalog,
    private readonly trials: Trials,
    private readonly people: PeopleService,
    @Inject(ConfigService) config: ConfigService<AppConfig, true>,
  ) {
    const configured = config.get('licensing', { infer: true }).signingKey;
    if (!configured)
      this.logger.warn(
        'LICENSE_SIGNING_KEY is not set: license keys are signed with a key made now (they verify only until a restart)',
      );
    this.signingKey = configured ?? generateLicenseKeyPair().privateKey;
  }

  /** The resolved tenant's plan and seats. */
  async tenantPlan(): Promise<TenantPlan> {
    const { plan, license, seats } = await this.seatUse();
    const trial = await this.trials.of();
    const now = new Date();
    const rows = await this.usageCounts.monthDays(now);
    const usage = Object.fromEntries(
      await Promise.all(
        USAGE_METRICS.map(async (metric) => [
          metric,
          {
            used: await this.usageMeter.monthUsed(this.db.tenantId, metric, now),
            limit: plan.monthlyLimits[metric] ?? null,
            days: rows.filter((r) => r.metric === metric).map(({ day, count }) => ({ day, count })),
          },
        ]),
      ),
    ) as TenantPlan['usage'];
    return {
      plan,
      license: license && {
        status: license.status,
        validUntil: license.validUntil?.toISOString() ?? null,
        seats: license.seats,
      },
      seats,
      usage,
      usageResetsAt: new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1)).toISOString(),
      ...trial,
    };
  }

  /** The resolved tenant's plan, current license and seats used of its limit (what billing needs, without usage or trials). */
  async seatUse(): Promise<{ plan: Plan; license: LicenseEntity | null; seats: TenantPlan['seats'] }> {
    const plan = await this.planOf(this.db.tenantId);
    const license = await this.currentLicense();
    const used = await this.people.seatsUsed();
    return { plan, license, seats: { used, limit: license?.seats ?? plan.seats } };
  }

  /** SEAT_LIMIT_REACHED (402, with used and limit) unless one more person fits; call in the transaction that adds them. */
  async assertSeatAvailable(): Promise<void> {
    // The lock makes concurrent additions to one tenant take turns: each counts what the previous committed.
    const tenant = await this.entitlements.lockPlan();
    if (tenant.licenseStatus === 'expired' || tenant.licenseStatus === 'suspended')
      throw new AppError(ErrorCode.LICENSE_INACTIVE, { status: tenant.licenseStatus });
    const limit = (await this.currentLicense())?.seats ?? (await this.catalog.get(tenant.plan)).seats;
    if (limit === null) return;
    const used = await this.people.seatsUsed();
    if (used >= limit) throw new AppError(ErrorCode.SEAT_LIMIT_REACHED, { used, limit });
  }

  /** Moves a tenant to another plan (platform console); limits and features follow at once, and a running trial ends. */
  async changePlan(tenantId: string, code: string): Promise<TenantPlan> {
    await this.catalog.get(code);
    const tenant = await this.tenancy.byId(tenantId);
    if (!tenant) throw new AppError(ErrorCode.TENANT_NOT_FOUND);
    const from = (await this.planOf(tenantId)).code;
    const result = await this.db.withTenant(tenant, async () => {
      await this.entitlements.setPlan(code);
      await this.audit.record({
        action: 'tenant.plan_changed',
        target: { type: 'tenant', id: tenantId, label: tenant.name },
        metadata: { from, to: code },
      });
      return this.tenantPlan();
    });
    this.tenancy.forget(tenant); // committed: every instance drops its cached copy (limits and features follow)
    return result;
  }

  /** A tenant's licenses, newest first (platform console). */
  async licenses(tenantId: string): Promise<License[]> {
    return this.inTenant(tenantId, async () => (await this.licensesTable.all()).map(toLicense));
  }

  /**
   * Issues a license (and its signed key): it replaces the tenant's current
   * one, and the tenant moves to its plan. Seats empty: the plan's.
   */
  async issue(actor: AuthUser, tenantId: string, dto: IssueLicenseDto): Promise<License> {
    const plan = await this.catalog.get(dto.plan);
    return this.inTenant(tenantId, async (tenant) => {
      await this.licensesTable.revokeAll();
      const id = randomUUID();
      const validFrom = dto.validFrom ? new Date(dto.validFrom) : new Date();
      const validUntil = dto.validUntil ? new Date(dto.validUntil) : null;
      const seats = dto.seats ?? null;
      const key = signLicenseKey(
        {
          licenseId: id,
          tenantId,
          plan: plan.code,
          seats: seats ?? plan.seats,
          features: plan.features,
          validFrom: validFrom.toISOString(),
          validUntil: validUntil?.toISOString() ?? null,
          issuedAt: new Date().toISOString(),
        },
        this.signingKey,
      );
      await this.licensesTable.insert({
        id,
        plan: plan.code,
        seats,
        status: 'active',
        validFrom,
        validUntil,
        key,
        issuedBy: actor.userId,
        remindersSent: [],
      });
      await this.entitlements.setLicense({ plan: plan.code, status: 'active', validUntil });
      await this.audit.record({
        action: 'license.issued',
        target: { type: 'license', id, label: tenant.name },
        metadata: { plan: plan.code, seats, validUntil: validUntil?.toISOString() ?? null },
      });
      return toLicense(await this.licensesTable.byId(id));
    });
  }

  /** A new end date (and key); an expired or suspended license is active again, and reminders start over. */
  async renew(tenantId: string, licenseId: string, validUntil: string | null): Promise<License> {
    return this.inTenant(tenantId, async (tenant) => {
      const license = await this.findLive(licenseId);
      const until = validUntil ? new Date(validUntil) : null;
      const plan = await this.catalog.get(license.plan);
      const key = signLicenseKey(
        {
          licenseId,
          tenantId,
          plan: plan.code,
          seats: license.seats ?? plan.seats,
          features: plan.features,
          validFrom: license.validFrom.toISOString(),
          validUntil: until?.toISOString() ?? null,
          issuedAt: new Date().toISOString(),
        },
        this.signingKey,
      );
      await this.licensesTable.renew(licenseId, until, key);
      await this.entitlements.setLicense({ status: 'active', validUntil: until });
      await this.audit.record({
        action: 'license.renewed',
        target: { type: 'license', id: licenseId, label: tenant.name },
        metadata: { validUntil: until?.toISOString() ?? null },
      });
      return toLicense(await this.findLive(licenseId));
    });
  }

  /** Read-only until renewed: everything can be read, nothing changed (no data is lost). */
  async suspend(tenantId: string, licenseId: string): Promise<License> {
    return this.inTenant(tenantId, async (tenant) => {
      await this.findLive(licenseId);
      await this.licensesTable.setStatus(licenseId, 'suspended');
      await this.entitlements.setLicense({ status: 'suspended' });
      await this.audit.record({
        action: 'license.suspended',
        target: { type: 'license', id: licenseId, label: tenant.name },
      });
      return toLicense(await this.findLive(licenseId));
    });
  }

  /** Withdraws the license: the tenant keeps its plan's limits, without a license (not read-only). */
  async revoke(tenantId: string, licenseId: string): Promise<void> {
    await this.inTenant(tenantId, async (tenant) => {
      await this.findLive(licenseId);
      await this.licensesTable.setStatus(licenseId, 'revoked');
      await this.entitlements.setLicense({ status: 'none', validUntil: null });
      await this.audit.record({
        action: 'license.revoked',
        target: { type: 'license', id: licenseId, label: tenant.name },
      });
    });
  }

  /**
   * Billing's word on a tenant (Stripe mode): its Stripe license follows the
   * subscription — plan and seats, active or suspended (read-only) — and an
   * ended subscription leaves the tenant on the free plan without a license.
   * Runs in the caller's tenant transaction; returns whether anything changed.
   */
  async applySubscription(
    entitlement: { state: 'active' | 'suspended'; plan: string; seats: number | null } | { state: 'ended' },
  ): Promise<boolean> {
    const tenantId = this.db.tenantId;
    const current = await this.licensesTable.currentFromStripe();
    if (entitlement.state === 'ended') {
      if (!current) return false;
      await this.licensesTable.setStatus(current.id, 'revoked');
      await this.entitlements.setLicense({ plan: FREE_PLAN, status: 'none', validUntil: null });
      return true;
    }
    const { state, plan: code, seats } = entitlement;
    if (current && current.plan === code && current.seats === seats && current.status === state) return false;
    const plan = await this.catalog.get(code);
    const id = current?.id ?? randomUUID();
    const validFrom = current?.validFrom ?? new Date();
    const key = signLicenseKey(
      {
        licenseId: id,
        tenantId,
        plan: plan.code,
        seats: seats ?? plan.seats,
        features: plan.features,
        validFrom: validFrom.toISOString(),
        validUntil: null,
        issuedAt: new Date().toISOString(),
      },
      this.signingKey,
    );
    if (current) {
      await this.licensesTable.setTerms(id, { plan: plan.code, seats, status: state, key });
    } else {
      // A subscription replaces any license issued by hand.
      await this.licensesTable.revokeAll();
      await this.licensesTable.insert({
        id,
        plan: plan.code,
        seats,
        status: state,
        validFrom,
        validUntil: null,
        key,
        issuedBy: null,
        remindersSent: [],
        source: 'stripe',
      });
    }
    await this.entitlements.setLicense({ plan: plan.code, status: state, validUntil: null });
    return true;
  }

  /** Active licenses ending within `days` (platform console), soonest first. */
  async expiring(days: number): Promise<ExpiringLicense[]> {
    const rows = await this.entitlements.licensesEndingWithin(days);
    return rows.map((r) => ({ tenant: r.tenant, validUntil: r.validUntil.toISOString() }));
  }

  /**
   * The daily job: licenses past their end become expired (the tenant
   * read-only), and owners of licenses ending within 30, 7 and 1 days are
   * mailed, each reminder once (marked in the same transaction as it is queued).
   */
  async expireAndRemind(now = new Date()): Promise<{ expired: number; reminded: number }> {
    const tenants = await this.entitlements.licensesEndingWithin30Days(now);
    let expired = 0;
    let reminded = 0;
    for (const tenant of tenants) {
      await this.db.withTenant(tenant, async () => {
        const license = await this.currentLicense();
        if (!license?.validUntil || license.status !== 'active') return;
        if (license.validUntil <= now) {
          await this.licensesTable.setStatus(license.id, 'expired');
          await this.entitlements.setLicense({ status: 'expired' });
          await this.audit.record({
            action: 'license.expired',
            actor: { userId: null, label: 'expiry job' },
            target: { type: 'license', id: license.id, label: tenant.name },
          });
          expired++;
          return;
        }
        const due = reminderDue(license.validUntil, license.remindersSent, now);
        if (!due) return;
        await this.licensesTable.setRemindersSent(license.id, [...new Set([...license.remindersSent, ...due.reached])]);
        for (const { email } of await this.people.owners()) {
          await this.mailer.send(
            expiryReminderMail(
              email,
              tenant.name,
              license.validUntil,
              now,
              this.tenancy.urlOf(tenant.slug, '/settings/plan'),
            ),
          );
        }
        reminded++;
      });
      this.tenancy.forget(tenant);
    }
    return { expired, reminded };
  }

  /** The tenant's current license: the newest not revoked. */
  private async currentLicense(): Promise<LicenseEntity | null> {
    return this.licensesTable.current();
  }

  private async findLive(id: string): Promise<LicenseEntity> {
    const license = await this.licensesTable.live(id);
    if (!license) throw new AppError(ErrorCode.LICENSE_NOT_FOUND);
    return license;
  }

  /** Runs `work` in the tenant's own transaction (console actions name the tenant; they run outside it). */
  private async inTenant<T>(tenantId: string, work: (tenant: TenantSummary) => Promise<T>): Promise<T> {
    const tenant = await this.tenancy.byId(tenantId);
    if (!tenant) throw new AppError(ErrorCode.TENANT_NOT_FOUND);
    const result = await this.db.withTenant(tenant, () => work(tenant));
    this.tenancy.forget(tenant); // committed: read-only mode starts or ends at once here
    return result;
  }

  private async planOf(tenantId: string): Promise<Plan> {
    const plan = await this.entitlements.planOf(tenantId);
    if (plan === null) throw new AppError(ErrorCode.TENANT_NOT_FOUND);
    return this.catalog.get(plan);
  }
}
