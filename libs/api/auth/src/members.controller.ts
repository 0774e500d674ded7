import { Body, Controller, Delete, Get, HttpCode, Patch, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { RequirePermission, UuidParam, type AuthUser, CurrentUser } from '@tenantry/api-core';
import type { Member, Page } from '@tenantry/contracts';
import { ChangeRoleDto } from './dto/change-role.dto.js';
import { ListMembersQuery } from './dto/list-members.query.js';
import { MembersService } from './members.service.js';

@ApiTags('members')
@ApiBearerAuth()
@Controller('members')
export class MembersController {
  constructor(private readonly members: MembersService) {}

  @Get()
  @RequirePermission('members.read')
  list(@Query() query: ListMembersQuery): Promise<Page<Member>> {
    return this.members.list(query);
  }

  @Patch(':id')
  @RequirePermission('members.manage')
  changeRole(@CurrentUser() auth: AuthUser, @UuidParam() id: string, @Body() dto: ChangeRoleDto): Promise<Member> {
    return this.members.changeRole(auth, id, dto.role);
  }

  @Delete(':id')
  @HttpCode(204)
  @RequirePermission('members.manage')
  remove(@CurrentUser() auth: AuthUser, @UuidParam() id: string): Promise<void> {
    return this.members.remove(auth, id);
  }
}
