import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditController } from './audit.controller.js';
import { AuditService } from './audit.service.js';
import { PlatformAuditController } from './platform-audit.controller.js';
import { AuditEventEntity } from './entities/audit-event.entity.js';

@Module({
  imports: [TypeOrmModule.forFeature([AuditEventEntity])],
  controllers: [AuditController, PlatformAuditController],
  providers: [AuditService],
  exports: [AuditService],
})
export class AuditModule {}
