import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { RequirePermission } from '@tenantry/api-core';
import type { DeletedTenant } from '@tenantry/contracts';
import { RequestDeletionDto } from './dto/request-deletion.dto.js';
import { TenantLifecycleService } from './tenant-lifecycle.service.js';

/** An owner deletes their own tenant: the same soft delete as the console's (restorable by the operator until the purge). */
@ApiTags('tenant')
@ApiBearerAuth()
@Controller('tenant/deletion')
export class TenantDeletionController {
  constructor(private readonly lifecycle: TenantLifecycleService) {}

  @Post()
  @HttpCode(200)
  @RequirePermission('tenant.delete')
  request(@Body() dto: RequestDeletionDto): Promise<DeletedTenant> {
    return this.lifecycle.requestDeletion(dto.confirm);
  }
}
