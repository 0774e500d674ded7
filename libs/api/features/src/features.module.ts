import { Module } from '@nestjs/common';
import { AuditModule } from '@tenantry/api-audit';
import { LicensingModule } from '@tenantry/api-licensing';
import { FeatureFlags } from './feature-flags.service.js';
import { FeatureSettingsRepository } from './feature-settings.repository.js';
import { FeatureGuard } from './feature.guard.js';
import { FeaturesController } from './features.controller.js';

@Module({
  imports: [AuditModule, LicensingModule],
  controllers: [FeaturesController],
  providers: [FeatureFlags, FeatureSettingsRepository, FeatureGuard],
  exports: [FeatureFlags, FeatureGuard],
})
export class FeaturesModule {}
