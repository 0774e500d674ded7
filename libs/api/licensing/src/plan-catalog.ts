import { Injectable } from '@nestjs/common';
import { AuditService } from '@tenantry/api-audit';
import { AppError, type AuthUser, ChangeBus, isUniqueViolation } from '@tenantry/api-core';
import { TenantDb } from '@tenantry/api-tenancy';
import { ErrorCode, type Plan } from '@tenantry/contracts';
import type { EntityManager } from 'typeorm';
import type { NewPlanDto, PlanDto } from './dto/plan.dto.js';
import { PlanEntity } from './entities/plan.entity.js';
import { planExists } from './plans.repository.js';

const CACHE_MS = 5_000;

const toPlan = (p: PlanEntity): Plan => ({
  code: p.code,
  name: p.name,
  seats: p.seats,
  monthlyLimits: p.monthlyLimits,
  rateLimitPerMinute: p.rateLimitPerMinute,
  features: p.features,
  trialDays: p.trialDays,
  graceDays: p.graceDays,
  stripePriceId: p.stripePriceId,
  stripeSeatPriceId: p.stripeSeatPriceId,
  listPrice: p.monthlyPrice !== null && p.priceCurrency ? { amount: p.monthlyPrice, currency: p.priceCurrency } : null,
});

/**
 * The plans catalog, the one place that reads and edits it. Every request asks
 * it (rate limits, monthly limits), so it answers from a few seconds of memory,
 * dropped on every instance when a plan changes (ChangeBus).
 */
@Injectable()
export class PlanCatalog {
  private cache: { expires: number; plans: Plan[] } | null = null;

  constructor(
    private readonly db: TenantDb,
    private readonly changes: ChangeBus,
    private readonly audit: AuditService,
  ) {
    this.changes.subscribe('plans', () => (this.cache = null));
  }

  /** Every plan, in the catalog's order. */
  async all(): Promise<Plan[]> {
    if (!this.cache || this.cache.expires < Date.now()) await this.load();
    return this.cache!.plans;
  }

  async find(code: string | undefined): Promise<Plan | null> {
    if (!code) return null;
    const cached = (await this.all()).find((p) => p.code === code);
    if (cached) return cached;
    // Tenants can only be on plans that exist (foreign key): a miss is a plan added since the last load.
    await this.load();
    return this.cache!.plans.find((p) => p.code === code) ?? null;
  }

  /** The plan, or PLAN_NOT_FOUND (404). */
  async get(code: string): Promise<Plan> {
    const plan = await this.find(code);
    if (!plan) throw new AppError(ErrorCode.PLAN_NOT_FOUND, { code });
    return plan;
  }

  /** Whether a plan with this code exists, asked in the transaction `m` of a caller outside the app (the import tool); no cache. */
  static exists(m: EntityManager, code: unknown): Promise<boolean> {
    return planExists(m, code);
  }

  /** The plan a Stripe price belongs to (base or per-seat), or null. */
  async byStripePrice(priceId: string): Promise<Plan | null> {
    const match = (plans: Plan[]) =>
      plans.find((p) => p.stripePriceId === priceId || p.stripeSeatPriceId === priceId) ?? null;
    const cached = match(await this.all());
    if (cached) return cached;
    await this.load(); // a price set since the last load
    return match(this.cache!.plans);
  }

  /** A new plan at the end of the catalog; PLAN_EXISTS (409) when the code is taken. */
  async create(actor: AuthUser, dto: NewPlanDto): Promise<Plan> {
    const repo = await this.db.globalRepository(PlanEntity);
    const last = (await repo.maximum('sortOrder')) ?? 0;
    try {
      await repo.insert({ ...this.fields(dto), code: dto.code, sortOrder: last + 1 });
    } catch (error) {
      if (isUniqueViolation(error)) throw new AppError(ErrorCode.PLAN_EXISTS, { code: dto.code });
      throw error;
    }
    return this.changed(actor, 'created', dto.code);
  }

  /** Replaces a plan's terms: every tenant on it gets them at once (nobody is removed when seats go down). */
  async update(actor: AuthUser, code: string, dto: PlanDto): Promise<Plan> {
    const repo = await this.db.globalRepository(PlanEntity);
    const { affected } = await repo.update({ code }, this.fields(dto));
    if (!affected) throw new AppError(ErrorCode.PLAN_NOT_FOUND, { code });
    return this.changed(actor, 'updated', code);
  }

  private async load(): Promise<void> {
    const rows = await (await this.db.globalRepository(PlanEntity)).find({ order: { sortOrder: 'ASC', code: 'ASC' } });
    this.cache = { expires: Date.now() + CACHE_MS, plans: rows.map(toPlan) };
  }

  private fields(dto: PlanDto): Omit<PlanEntity, 'code' | 'sortOrder' | 'updatedAt'> {
    // Unlimited metrics are left out of the map: a missing limit is no limit.
    const monthlyLimits = Object.fromEntries(
      Object.entries(dto.monthlyLimits ?? {}).filter(([, n]) => n !== null && n !== undefined),
    );
    return {
      name: dto.name,
      seats: dto.seats,
      monthlyLimits,
      rateLimitPerMinute: dto.rateLimitPerMinute,
      features: [...new Set(dto.features)],
      trialDays: dto.trialDays,
      graceDays: dto.graceDays ?? 7,
      stripePriceId: dto.stripePriceId ?? null,
      stripeSeatPriceId: dto.stripeSeatPriceId ?? null,
      monthlyPrice: dto.listPrice?.amount ?? null,
      priceCurrency: dto.listPrice?.currency ?? null,
    };
  }

  private async changed(actor: AuthUser, how: 'created' | 'updated', code: string): Promise<Plan> {
    this.cache = null;
    await this.changes.publish('plans');
    const plan = await this.get(code);
    await this.audit.recordPlatform({
      action: `plan.${how}`,
      subject: { type: 'plan', id: code },
      metadata: { by: actor.userId, terms: plan },
    });
    return plan;
  }
}
