import { Body, Controller, Get, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { type AuthUser, CurrentUser, WhileImpersonating, PlatformOnly, UuidParam } from '@tenantry/api-core';
import type { AuthTokenResponse, Impersonation, PlatformMember } from '@tenantry/contracts';
import { StartImpersonationDto } from './dto/impersonation.dto.js';
import { ImpersonationService } from './impersonation.service.js';

/** The platform console's support tools (super admins signed in without a tenant): a tenant's members and acting as one of them. */
@ApiTags('platform')
@ApiBearerAuth()
@Controller('platform')
@PlatformOnly()
// In particular, no impersonation is started from an impersonation.
@WhileImpersonating('deny')
export class PlatformController {
  constructor(private readonly impersonation: ImpersonationService) {}

  @Get('tenants/:id/members')
  members(@UuidParam() id: string): Promise<PlatformMember[]> {
    return this.impersonation.members(id);
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
