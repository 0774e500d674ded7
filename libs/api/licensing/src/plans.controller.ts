import { Body, Controller, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import {
  type AuthUser,
  CurrentUser,
  WhileImpersonating,
  PlatformOnly,
  RequirePermission,
  UuidParam,
} from '@tenantry/api-core';
import type { Plan, TenantNearLimits, TenantPlan } from '@tenantry/contracts';
import { ChangePlanDto, NearLimitsQuery, NewPlanDto, PlanDto } from './dto/plan.dto.js';
import { LicensingService } from './licensing.service.js';
import { LimitWatch } from './limit-watch.js';
import { PlanCatalog } from './plan-catalog.js';
import { Trials } from './trials.js';

@ApiTags('plans')
@ApiBearerAuth()
@Controller()
export class PlansController {
  constructor(
    private readonly licensing: LicensingService,
    private readonly catalog: PlanCatalog,
    private readonly trials: Trials,
    private readonly limitWatch: LimitWatch,
  ) {}

  /** Settings → Plan & usage: the tenant's plan, seats, usage, license and trial. */
  @Get('plan')
  @RequirePermission('members.read')
  tenantPlan(): Promise<TenantPlan> {
    return this.licensing.tenantPlan();
  }

  /** Starts the tenant's one trial of a plan (see `trialOffers`); it goes back to its plan when the trial ends. */
  @Post('plan/trial')
  @HttpCode(200)
  @RequirePermission('plan.manage')
  async startTrial(@Body() dto: ChangePlanDto): Promise<TenantPlan> {
    await this.trials.start(dto.plan);
    return this.licensing.tenantPlan();
  }

  @Get('platform/plans')
  @PlatformOnly()
  @WhileImpersonating('deny')
  plans(): Promise<Plan[]> {
    return this.catalog.all();
  }

  @Post('platform/plans')
  @PlatformOnly()
  createPlan(@CurrentUser() admin: AuthUser, @Body() dto: NewPlanDto): Promise<Plan> {
    return this.catalog.create(admin, dto);
  }

  /** New terms for a plan: every tenant on it gets them at once (lower seats block new people and remove nobody). */
  @Put('platform/plans/:code')
  @PlatformOnly()
  updatePlan(@CurrentUser() admin: AuthUser, @Param('code') code: string, @Body() dto: PlanDto): Promise<Plan> {
    return this.catalog.update(admin, code, dto);
  }

  /** Moves a tenant to another plan; its limits and features follow at once. */
  @Put('platform/tenants/:id/plan')
  @PlatformOnly()
  changePlan(@UuidParam() id: string, @Body() dto: ChangePlanDto): Promise<TenantPlan> {
    return this.licensing.changePlan(id, dto.plan);
  }

  /** Tenants at or over `threshold` percent of a seat or monthly limit, from the check every 10 minutes. */
  @Get('platform/near-limits')
  @PlatformOnly()
  @WhileImpersonating('deny')
  nearLimits(@Query() query: NearLimitsQuery): Promise<TenantNearLimits[]> {
    return this.limitWatch.nearLimits(query.threshold);
  }
}
