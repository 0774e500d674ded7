import { Body, Controller, Get, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { WhileImpersonating, PlatformOnly, UuidParam } from '@tenantry/api-core';
import { ListAuditEventsQuery } from '@tenantry/api-audit';
import type {
  AuditEvent,
  BillingOverview,
  CreatedTenant,
  Page,
  PlatformTenantDetail,
  PlatformTenantPage,
  PlatformTenantRow,
} from '@tenantry/contracts';
import {
  CreatePlatformTenantDto,
  ListPlatformTenantsQuery,
  UpdatePlatformTenantDto,
} from './dto/platform-tenants.dto.js';
import { PlatformTenantsService } from './platform-tenants.service.js';

/** The console's tenants: list, detail, create, edit (super admins). Suspend, delete and restore: the lifecycle module. */
@ApiTags('platform')
@ApiBearerAuth()
@Controller('platform/tenants')
@PlatformOnly()
@WhileImpersonating('deny')
export class PlatformTenantsController {
  constructor(private readonly tenants: PlatformTenantsService) {}

  /** Search (name, slug, owner email, domain), filter by status and plan, sort, keyset pages with the total. */
  @Get()
  list(@Query() query: ListPlatformTenantsQuery): Promise<PlatformTenantPage> {
    return this.tenants.list(query);
  }

  /** Creates a tenant (on trial, like a signup) and emails its owner an invitation. */
  @Post()
  create(@Body() dto: CreatePlatformTenantDto): Promise<CreatedTenant> {
    return this.tenants.create(dto);
  }

  @Get(':id')
  detail(@UuidParam() id: string): Promise<PlatformTenantDetail> {
    return this.tenants.detail(id);
  }

  @Get(':id/audit-events')
  auditLog(@UuidParam() id: string, @Query() query: ListAuditEventsQuery): Promise<Page<AuditEvent>> {
    return this.tenants.auditLog(id, query);
  }

  @Get(':id/billing')
  billing(@UuidParam() id: string): Promise<BillingOverview> {
    return this.tenants.billingOf(id);
  }

  @Patch(':id')
  update(@UuidParam() id: string, @Body() dto: UpdatePlatformTenantDto): Promise<PlatformTenantRow> {
    return this.tenants.update(id, dto);
  }
}
