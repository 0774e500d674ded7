import { ApiProperty } from '@nestjs/swagger';
import { TENANT_ROLES, type TenantRole } from '@tenantry/contracts';
import { IsIn } from 'class-validator';

export class ChangeRoleDto {
  @ApiProperty({ enum: TENANT_ROLES }) @IsIn(TENANT_ROLES) role: TenantRole;
}
