import { Injectable } from '@nestjs/common';
import { AuditService } from '@tenantry/api-audit';
import { AppError, RequestContext } from '@tenantry/api-core';
import { MailerService } from '@tenantry/api-mailer';
import { PeopleService } from '@tenantry/api-people';
import { TenancyService, TenantDb, TenantEntitlementsRepository, type TenantTrial } from '@tenantry/api-tenancy';
import { ErrorCode, type TenantPlan } from '@tenantry/contracts';
import { trialEndedMail, trialEndingMail } from './licenses.js';
import { PlanCatalog } from './plan-catalog.js';

/** Days before a trial's end when owners are reminded (once). */
export const TRIAL_REMINDER_DAYS = 3;

/**
 * Trials: a tenant tries a plan with trial days once, for that many days, then
 * goes back to the plan it had. Not while a license sets its plan; moving the
 * tenant to a plan (console, license) ends a running trial for good.
 */
@Injectable()
export class Trials {
  constructor(
    private readonly db: TenantDb,
    private readonly tenancy: TenancyService,
    private readonly entitlements: TenantEntitlementsRepository,
    private readonly catalog: PlanCatalog,
    private readonly audit: AuditService,
    private readonly mailer: MailerService,
    private readonly people: PeopleService,
  ) {}

  /** The resolved tenant's running trial and the plans it may try. */
  async of(): Promise<Pick<TenantPlan, 'trial' | 'trialOffers'>> {
    const row = await this.entitlements.trial(false);
    const trial =
      row.planAfterTrial && row.trialEndsAt
        ? { plan: row.plan, endsAt: row.trialEndsAt.toISOString(), planAfter: row.planAfterTrial }
        : null;
    const offers = this.refusal(row)
      ? []
      : (await this.catalog.all()).filter((p) => p.trialDays > 0 && p.code !== row.plan);
    return { trial, trialOffers: offers.map(({ code, name, trialDays }) => ({ code, name, trialDays })) };
  }

  /** Starts the resolved tenant's trial of `code`: TRIAL_NOT_AVAILABLE (409, with the reason) when it may not. */
  async start(code: string): Promise<void> {
    const plan = await this.catalog.get(code);
    const row = await this.entitlements.trial(true);
    const reason =
      this.refusal(row) ?? (plan.trialDays === 0 ? 'no_trial' : plan.code === row.plan ? 'current_plan' : null);
    if (reason) throw new AppError(ErrorCode.TRIAL_NOT_AVAILABLE, { reason });
    const endsAt = new Date(Date.now() + plan.trialDays * 86_400_000);
    await this.entitlements.startTrial(plan.code, row.plan, endsAt);
    await this.audit.record({
      action: 'plan.trial_started',
      target: { type: 'plan', id: plan.code, label: plan.name },
      metadata: { endsAt: endsAt.toISOString(), planAfter: row.plan },
    });
    this.tenancy.forget(RequestContext.current()!.tenant!); // everywhere once the request commits
  }

  /**
   * The daily job: trials past their end go back to their earlier plan (owners
   * are told), and owners of trials ending within 3 days are reminded once.
   */
  async endAndRemind(now = new Date()): Promise<{ ended: number; reminded: number }> {
    const due = await this.entitlements.trialsEndingWithin(now, TRIAL_REMINDER_DAYS);
    let ended = 0;
    let reminded = 0;
    for (const tenant of due) {
      await this.db.withTenant(tenant, async () => {
        const row = await this.entitlements.lockTrial();
        if (!row?.planAfterTrial || !row.trialEndsAt) return; // ended meanwhile
        const [tried, after] = [await this.catalog.get(row.plan), await this.catalog.get(row.planAfterTrial)];
        const link = this.tenancy.urlOf(tenant.slug, '/settings/plan');
        if (row.trialEndsAt <= now) {
          await this.entitlements.endTrial();
          await this.audit.record({
            action: 'plan.trial_ended',
            actor: { userId: null, label: 'trial job' },
            target: { type: 'plan', id: tried.code, label: tried.name },
            metadata: { planAfter: after.code },
          });
          for (const { email } of await this.people.owners())
            await this.mailer.send(trialEndedMail(email, tenant.name, tried.name, after.name, link));
          ended++;
        } else if (!row.trialRemindedAt) {
          await this.entitlements.markTrialReminded();
          for (const { email } of await this.people.owners())
            await this.mailer.send(trialEndingMail(email, tenant.name, tried.name, after.name, row.trialEndsAt, link));
          reminded++;
        }
      });
      this.tenancy.forget(tenant);
    }
    return { ended, reminded };
  }

  /** Why the tenant may not start any trial, or null. */
  private refusal(row: TenantTrial): string | null {
    if (row.licenseStatus !== 'none') return 'licensed';
    if (row.trialEndsAt) return 'used';
    return null;
  }
}
