import { Body, Controller, Get, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { type AuthUser, CurrentUser, NotWhileImpersonating, PlatformOnly, UuidParam } from '@tenantry/api-core';
import type { AuthTokenResponse, Impersonation, PlatformMember, PlatformTenant } from '@tenantry/contracts';
import { PlatformTenantSettingsDto, StartImpersonationDto, TenantSearchQuery } from './dto/impersonation.dto.js';
import { ImpersonationService } from './impersonation.service.js';

/** The platform console's support tools (super admins signed in without a tenant). */
@ApiTags('platform')
@ApiBearerAuth()
@Controller('platform')
@PlatformOnly()
// In particular, no impersonation is started from an impersonation.
@NotWhileImpersonating()

export class PlatformController {
  constructor(private readonly impersonation: ImpersonationService) {}

  @Get('tenants')
  tenants(@Query() query: TenantSearchQuery): Promise<PlatformTenant[]> {
    return this.impersonation.searchTenants(query.q);
  }

  @Get('tenants/:id/members')
  members(@UuidParam() id: string): Promise<PlatformMember[]> {
    return this.impersonation.members(id);
  }

  @Patch('tenants/:id')
  settings(@UuidParam() id: string, @Body() dto: PlatformTenantSettingsDto): Promise<PlatformTenant> {
    return this.impersonation.setConsentRequired(id, dto.impersonationConsentRequired);
  }

  /** Asks the tenant's owners to approve an impersonation (tenants that require consent). */
  @Post('impersonation-requests')
  request(@CurrentUser() admin: AuthUser, @Body() dto: StartImpersonationDto): Promise<Impersonation> {
    return this.impersonation.request(admin, dto);
  }

  /** Starts acting as the user: a separate access token, ≤60 minutes, no refresh. */
  @Post('impersonations')
  start(@CurrentUser() admin: AuthUser, @Body() dto: StartImpersonationDto): Promise<AuthTokenResponse> {
    return this.impersonation.start(admin, dto);
  }
}
