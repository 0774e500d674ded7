import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { AuditModule } from '@tenantry/api-audit';
import { MailerModule } from '@tenantry/api-mailer';
import { PeopleModule } from '@tenantry/api-people';
import { MaintenanceJobsProcessor } from './maintenance-jobs.processor.js';
import { MaintenanceController } from './maintenance.controller.js';
import { AnonymousMaintenanceGuard, MaintenanceGuard } from './maintenance.guard.js';
import { MaintenanceRepository } from './maintenance.repository.js';
import { MAINTENANCE_QUEUE, MaintenanceService } from './maintenance.service.js';

@Module({
  imports: [BullModule.registerQueue({ name: MAINTENANCE_QUEUE }), AuditModule, MailerModule, PeopleModule],
  controllers: [MaintenanceController],
  providers: [
    MaintenanceService,
    MaintenanceRepository,
    MaintenanceJobsProcessor,
    AnonymousMaintenanceGuard,
    MaintenanceGuard,
  ],
  exports: [MaintenanceService, AnonymousMaintenanceGuard, MaintenanceGuard],
})
export class MaintenanceModule {}
