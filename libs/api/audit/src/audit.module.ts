import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { PeopleModule } from '@tenantry/api-people';
import { AuditController } from './audit.controller.js';
import { AuditRepository } from './audit.repository.js';
import { AuditService } from './audit.service.js';
import { PlatformAuditController } from './platform-audit.controller.js';
import { AuditEventEntity } from './entities/audit-event.entity.js';

@Module({
  imports: [TypeOrmModule.forFeature([AuditEventEntity]), PeopleModule],
  controllers: [AuditController, PlatformAuditController],
  providers: [AuditService, AuditRepository],
  exports: [AuditService],
})
export class AuditModule {}
