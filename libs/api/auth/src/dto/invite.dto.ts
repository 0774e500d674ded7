import { ApiProperty } from '@nestjs/swagger';
import { TENANT_ROLES, type TenantRole } from '@tenantry/contracts';
import { Transform } from 'class-transformer';
import { IsEmail, IsIn, MaxLength } from 'class-validator';

export class InviteDto {
  @ApiProperty({ example: 'grace@acme.test' })
  @Transform(({ value }) => (typeof value === 'string' ? value.trim().toLowerCase() : value))
  @IsEmail() @MaxLength(254)
  email: string;
  @ApiProperty({ enum: TENANT_ROLES }) @IsIn(TENANT_ROLES) role: TenantRole;
}
