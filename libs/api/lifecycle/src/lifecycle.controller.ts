import { Body, Controller, Delete, Get, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { WhileImpersonating, PlatformOnly, UuidParam } from '@tenantry/api-core';
import type { DeletedTenant, PlatformTenant } from '@tenantry/contracts';
import { SuspendTenantDto } from './dto/suspend-tenant.dto.js';
import { TenantLifecycleService } from './tenant-lifecycle.service.js';

/** The console's tenant lifecycle: suspend and reactivate, delete and restore (super admins). */
@ApiTags('platform')
@ApiBearerAuth()
@Controller('platform/tenants')
@PlatformOnly()
@WhileImpersonating('deny')
export class LifecycleController {
  constructor(private readonly lifecycle: TenantLifecycleService) {}

  /** Deleted tenants that can still be restored, with the day each is purged. */
  @Get('deleted')
  deleted(): Promise<DeletedTenant[]> {
    return this.lifecycle.deleted();
  }

  @Post(':id/suspend')
  @HttpCode(200)
  suspend(@UuidParam() id: string, @Body() dto: SuspendTenantDto): Promise<PlatformTenant> {
    return this.lifecycle.suspend(id, dto.reason);
  }

  @Post(':id/reactivate')
  @HttpCode(200)
  reactivate(@UuidParam() id: string): Promise<PlatformTenant> {
    return this.lifecycle.reactivate(id);
  }

  /** Soft delete: gone at once, restorable until the purge (TENANT_PURGE_GRACE_DAYS). */
  @Delete(':id')
  delete(@UuidParam() id: string): Promise<DeletedTenant> {
    return this.lifecycle.delete(id);
  }

  @Post(':id/restore')
  @HttpCode(200)
  restore(@UuidParam() id: string): Promise<PlatformTenant> {
    return this.lifecycle.restore(id);
  }
}
