import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { WhileImpersonating, PlatformOnly } from '@tenantry/api-core';
import type { Page, PlatformAuditEvent } from '@tenantry/contracts';
import { AuditService } from './audit.service.js';
import { ListPlatformAuditEventsQuery } from './dto/list-platform-audit-events.query.js';

/** The platform's own log in the console: super admins' changes to tenants and catalogs, maintenance, platform jobs. */
@ApiTags('platform')
@ApiBearerAuth()
@Controller('platform/audit-events')
@PlatformOnly()
@WhileImpersonating('deny')
export class PlatformAuditController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  list(@Query() query: ListPlatformAuditEventsQuery): Promise<Page<PlatformAuditEvent>> {
    return this.audit.listPlatform(query);
  }
}
