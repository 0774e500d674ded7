import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '@tenantry/api-audit';
import { MailerModule } from '@tenantry/api-mailer';
import { PeopleModule } from '@tenantry/api-people';
import { LicenseEntity } from './entities/license.entity.js';
import { PlanEntity } from './entities/plan.entity.js';
import { LICENSING_QUEUE, LicensingJobsProcessor } from './licensing-jobs.processor.js';
import { LicensingController } from './licensing.controller.js';
import { LimitWatch } from './limit-watch.js';
import { PlanCatalog } from './plan-catalog.js';
import { PlansController } from './plans.controller.js';
import { Trials } from './trials.js';
import { LicensesRepository } from './licenses.repository.js';
import { LicensingService } from './licensing.service.js';
import { RateWindowLeases } from './rate-window-leases.js';
import { TenantRateLimitGuard } from './tenant-rate-limit.guard.js';
import { UsageMeter } from './usage-meter.js';
import { UsageRepository } from './usage.repository.js';

@Module({
  imports: [
    TypeOrmModule.forFeature([PlanEntity, LicenseEntity]),
    BullModule.registerQueue({ name: LICENSING_QUEUE }),
    AuditModule,
    MailerModule,
    PeopleModule,
  ],
  controllers: [PlansController, LicensingController],
  providers: [
    LicensingService,
    LicensesRepository,
    PlanCatalog,
    Trials,
    LimitWatch,
    LicensingJobsProcessor,
    TenantRateLimitGuard,
    RateWindowLeases,
    UsageMeter,
    UsageRepository,
  ],
  exports: [LicensingService, PlanCatalog, Trials, TenantRateLimitGuard, UsageMeter],
})
export class LicensingModule {}
