import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { AuditModule } from '@tenantry/api-audit';
import { PeopleModule } from '@tenantry/api-people';
import { DataExportService, EXPORTS_QUEUE } from './data-export.service.js';
import { ExportsController } from './exports.controller.js';
import { ExportsProcessor } from './exports.processor.js';
import { ExportsRepository } from './repositories/exports.repository.js';

@Module({
  imports: [BullModule.registerQueue({ name: EXPORTS_QUEUE }), AuditModule, PeopleModule],
  controllers: [ExportsController],
  providers: [DataExportService, ExportsRepository, ExportsProcessor],
  exports: [DataExportService],
})
export class DataExportModule {}
