import { Body, Controller, Delete, Get, Param, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { AppError, WhileImpersonating, PlatformOnly, RequestContext, UuidParam } from '@tenantry/api-core';
import {
  ErrorCode,
  type FeatureCode,
  FEATURE_CODES,
  type FeatureMatrix,
  type FeatureSetting,
  type TenantFeatures,
} from '@tenantry/contracts';
import { FeatureOverrideDto, FeatureSettingDto, MatrixQuery } from './dto/feature.dto.js';
import { FeatureFlags } from './feature-flags.service.js';

const featureCode = (code: string): FeatureCode => {
  if (!(FEATURE_CODES as string[]).includes(code)) throw new AppError(ErrorCode.FEATURE_NOT_FOUND, { code });
  return code as FeatureCode;
};

@ApiTags('features')
@ApiBearerAuth()
@Controller()
export class FeaturesController {
  constructor(private readonly flags: FeatureFlags) {}

  /** The tenant's features (the SPA hides what it does not have). */
  @Get('features')
  features(): Promise<TenantFeatures> {
    const tenant = RequestContext.current()?.tenant;
    if (!tenant) throw new AppError(ErrorCode.TENANT_REQUIRED);
    return this.flags.forTenant(tenant);
  }

  /** Features × tenants: every feature's settings, and the evaluated features and overrides of the tenants found. */
  @Get('platform/features')
  @PlatformOnly()
  @WhileImpersonating('deny')
  matrix(@Query() query: MatrixQuery): Promise<FeatureMatrix> {
    return this.flags.matrix(query.q?.trim() || undefined);
  }

  /** Kill switch and rollout percentage of a feature, for every tenant. */
  @Put('platform/features/:code')
  @PlatformOnly()
  setting(@Param('code') code: string, @Body() dto: FeatureSettingDto): Promise<FeatureSetting> {
    return this.flags.setSetting(featureCode(code), dto);
  }

  /** Turns a feature on or off for one tenant, with its configuration. */
  @Put('platform/tenants/:id/features/:code')
  @PlatformOnly()
  override(
    @UuidParam() id: string,
    @Param('code') code: string,
    @Body() dto: FeatureOverrideDto,
  ): Promise<TenantFeatures> {
    return this.flags.setOverride(id, featureCode(code), { enabled: dto.enabled, config: dto.config ?? null });
  }

  /** Back to what the plan and the feature's settings say for this tenant. */
  @Delete('platform/tenants/:id/features/:code')
  @PlatformOnly()
  clearOverride(@UuidParam() id: string, @Param('code') code: string): Promise<TenantFeatures> {
    return this.flags.setOverride(id, featureCode(code), null);
  }
}
