import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { AuthModule } from '@tenantry/api-auth';
import { BillingModule } from '@tenantry/api-billing';
import { FeaturesModule } from '@tenantry/api-features';
import { LicensingModule } from '@tenantry/api-licensing';
import { PeopleModule } from '@tenantry/api-people';
import { PlatformStatsController } from './platform-stats.controller.js';
import { PLATFORM_STATS_QUEUE, PlatformStatsProcessor } from './platform-stats.processor.js';
import { PlatformStatsRepository } from './platform-stats.repository.js';
import { PlatformStatsService } from './platform-stats.service.js';

@Module({
  imports: [
    BullModule.registerQueue({ name: PLATFORM_STATS_QUEUE }),
    FeaturesModule,
    LicensingModule,
    PeopleModule,
    BillingModule,
    AuthModule,
  ],
  controllers: [PlatformStatsController],
  providers: [PlatformStatsService, PlatformStatsProcessor, PlatformStatsRepository],
  exports: [PlatformStatsService],
})
export class PlatformStatsModule {}
