import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { RequirePermission } from '@tenantry/api-core';
import type { AuditEvent, Page } from '@tenantry/contracts';
import { AuditService } from './audit.service.js';
import { ListAuditEventsQuery } from './dto/list-audit-events.query.js';

@ApiTags('audit')
@ApiBearerAuth()
@Controller('audit-events')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  @RequirePermission('audit.read')
  list(@Query() query: ListAuditEventsQuery): Promise<Page<AuditEvent>> {
    return this.audit.list(query);
  }
}
