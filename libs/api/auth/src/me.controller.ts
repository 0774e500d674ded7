import { type AuthUser, CurrentUser, NotWhileImpersonating } from '@tenantry/api-core';
import { Controller, Delete, Get, HttpCode } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { MyTenant } from '@tenantry/contracts';
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

  /** Leave the current tenant. */
  @Delete('membership')
  @HttpCode(204)
  @NotWhileImpersonating()
  leave(@CurrentUser() user: AuthUser): Promise<void> {
    return this.members.leave(user);
  }
}
