import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AuditModule } from '@tenantry/api-audit';
import { MailerModule } from '@tenantry/api-mailer';
import { MaintenanceJobsProcessor } from './maintenance-jobs.processor.js';
import { MaintenanceController } from './maintenance.controller.js';
import { MaintenanceGuard } from './maintenance.guard.js';
import { MAINTENANCE_QUEUE, MaintenanceService } from './maintenance.service.js';

/** Import after the auth module: its guard needs to know who calls (super admins pass). */
@Module({
  imports: [BullModule.registerQueue({ name: MAINTENANCE_QUEUE }), AuditModule, MailerModule],
  controllers: [MaintenanceController],
  providers: [MaintenanceService, MaintenanceJobsProcessor, { provide: APP_GUARD, useClass: MaintenanceGuard }],
  exports: [MaintenanceService],
})
export class MaintenanceModule {}
