import { ApiProperty } from '@nestjs/swagger';
import { TENANT_ROLES, type TenantRole } from '@tenantry/contracts';
import { IsEmailAddress } from '@tenantry/api-core';
import { IsIn } from 'class-validator';

export class InviteDto {
  @ApiProperty({ example: 'grace@acme.test' })
  @IsEmailAddress()
  email: string;
  @ApiProperty({ enum: TENANT_ROLES }) @IsIn(TENANT_ROLES) role: TenantRole;
}
