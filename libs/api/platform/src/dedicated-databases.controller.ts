import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { WhileImpersonating, PlatformOnly } from '@tenantry/api-core';
import { TenantDataSources } from '@tenantry/api-tenancy';
import type { DedicatedDatabase } from '@tenantry/contracts';

/** The dedicated databases a new tenant can be placed in (registered with `npm run tenant-db -- add`). */
@ApiTags('platform')
@ApiBearerAuth()
@Controller('platform/databases')
@PlatformOnly()
@WhileImpersonating('deny')
export class DedicatedDatabasesController {
  constructor(private readonly sources: TenantDataSources) {}

  @Get()
  list(): Promise<DedicatedDatabase[]> {
    return this.sources.databases();
  }
}
