import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AuditModule } from '@tenantry/api-audit';
import { LicensingModule } from '@tenantry/api-licensing';
import { FeatureFlags } from './feature-flags.service.js';
import { FeatureGuard } from './feature.guard.js';
import { FeaturesController } from './features.controller.js';

/** Import after the auth module: its guard runs after authentication (401 before 403). */
@Module({
  imports: [AuditModule, LicensingModule],
  controllers: [FeaturesController],
  providers: [FeatureFlags, { provide: APP_GUARD, useClass: FeatureGuard }],
  exports: [FeatureFlags],
})
export class FeaturesModule {}
