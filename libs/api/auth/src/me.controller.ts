import { type AuthUser, CurrentUser } from '@tenantry/api-core';
import { Body, Controller, Delete, Get, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { JoinOption, MyTenant } from '@tenantry/contracts';
import { JoinTenantDto } from './dto/join-tenant.dto.js';
import { AuthService } from './auth.service.js';
import { MembersService } from './members.service.js';

/** The caller's own memberships. */
@ApiTags('me')
@ApiBearerAuth()
@Controller('me')
export class MeController {
  constructor(
    private readonly auth: AuthService,
    private readonly members: MembersService,
  ) {}

  @Get('tenants')
  tenants(@CurrentUser() user: AuthUser): Promise<MyTenant[]> {
    return this.auth.myTenants(user);
  }

  /** Tenants the caller may join by their confirmed email's domain. */
  @Get('join-options')
  joinOptions(@CurrentUser() user: AuthUser): Promise<JoinOption[]> {
    return this.members.joinOptions(user.userId);
  }

  /** Joins one of those tenants as a member; switch to it with /auth/switch-tenant. */
  @Post('join')
  join(@CurrentUser() user: AuthUser, @Body() dto: JoinTenantDto): Promise<MyTenant> {
    return this.members.join(user.userId, dto.tenantId);
  }

  /** Leave the current tenant. */
  @Delete('membership')
  @HttpCode(204)
  leave(@CurrentUser() user: AuthUser): Promise<void> {
    return this.members.leave(user);
  }
}
