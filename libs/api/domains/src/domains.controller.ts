import { Body, Controller, Delete, Get, HttpCode, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { type AuthUser, CurrentUser, RequirePermission, UuidParam } from '@tenantry/api-core';
import type { VerifiedDomain } from '@tenantry/contracts';
import { DomainsService } from './domains.service.js';
import { ClaimDomainDto, DomainSettingsDto } from './dto/claim-domain.dto.js';

@ApiTags('domains')
@ApiBearerAuth()
@Controller('domains')
export class DomainsController {
  constructor(private readonly domains: DomainsService) {}

  @Get()
  @RequirePermission('domains.manage')
  list(): Promise<VerifiedDomain[]> {
    return this.domains.list();
  }

  /** Claims a domain; the answer holds the DNS TXT record to publish. */
  @Post()
  @RequirePermission('domains.manage')
  claim(@CurrentUser() user: AuthUser, @Body() dto: ClaimDomainDto): Promise<VerifiedDomain> {
    return this.domains.claim(user, dto.domain);
  }

  @Post(':id/verify')
  @HttpCode(200)
  @RequirePermission('domains.manage')
  verify(@UuidParam() id: string): Promise<VerifiedDomain> {
    return this.domains.verify(id);
  }

  @Patch(':id')
  @RequirePermission('domains.manage')
  settings(@UuidParam() id: string, @Body() dto: DomainSettingsDto): Promise<VerifiedDomain> {
    return this.domains.updateSettings(id, dto);
  }

  @Delete(':id')
  @HttpCode(204)
  @RequirePermission('domains.manage')
  remove(@UuidParam() id: string): Promise<void> {
    return this.domains.remove(id);
  }
}
