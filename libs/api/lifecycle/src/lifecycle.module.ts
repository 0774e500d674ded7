import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { AuditModule } from '@tenantry/api-audit';
import { LIFECYCLE_QUEUE, LifecycleJobsProcessor } from './lifecycle-jobs.processor.js';
import { LifecycleController } from './lifecycle.controller.js';
import { TenantDeletionController } from './tenant-deletion.controller.js';
import { LifecycleRepository } from './lifecycle.repository.js';
import { TenantLifecycleService } from './tenant-lifecycle.service.js';

@Module({
  imports: [BullModule.registerQueue({ name: LIFECYCLE_QUEUE }), AuditModule],
  controllers: [LifecycleController, TenantDeletionController],
  providers: [TenantLifecycleService, LifecycleRepository, LifecycleJobsProcessor],
  exports: [TenantLifecycleService],
})
export class LifecycleModule {}
