import { Body, Controller, Delete, Get, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { type AuthUser, CurrentUser, RequireFeature, RequirePermission, UuidParam } from '@tenantry/api-core';
import type { CustomDomain } from '@tenantry/contracts';
import { CustomDomainsService } from './custom-domains.service.js';
import { AddCustomDomainDto } from './dto/add-custom-domain.dto.js';

@ApiTags('custom-domains')
@ApiBearerAuth()
@Controller('custom-domains')
@RequireFeature('custom_domains')
export class CustomDomainsController {
  constructor(private readonly domains: CustomDomainsService) {}

  @Get()
  @RequirePermission('domains.manage')
  list(): Promise<CustomDomain[]> {
    return this.domains.list();
  }

  /** Adds a host name; the answer holds the TXT record to publish and the CNAME target. */
  @Post()
  @RequirePermission('domains.manage')
  add(@CurrentUser() user: AuthUser, @Body() dto: AddCustomDomainDto): Promise<CustomDomain> {
    return this.domains.add(user, dto.hostname);
  }

  @Post(':id/verify')
  @HttpCode(200)
  @RequirePermission('domains.manage')
  verify(@UuidParam() id: string): Promise<CustomDomain> {
    return this.domains.verify(id);
  }

  @Delete(':id')
  @HttpCode(204)
  @RequirePermission('domains.manage')
  remove(@UuidParam() id: string): Promise<void> {
    return this.domains.remove(id);
  }
}
