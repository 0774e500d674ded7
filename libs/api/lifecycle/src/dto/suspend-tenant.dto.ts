import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsString, MaxLength, MinLength } from 'class-validator';

export class SuspendTenantDto {
  @ApiProperty({
    example: 'Unpaid invoices since March; contact billing@tenantry.example.',
    description: "Shown to the tenant's people.",
  })
  @Transform(({ value }) => (typeof value === 'string' ? value.trim() : value))
  @IsString()
  @MinLength(3, { message: 'reason must say why (3 characters at least)' })
  @MaxLength(280)
  reason: string;
}
