import type { IssueLicenseRequest } from '@tenantry/contracts';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { PLAN_CODE } from './plan.dto.js';
import { IsInt, IsISO8601, IsOptional, IsString, Matches, Max, Min, ValidateIf } from 'class-validator';

export class IssueLicenseDto implements IssueLicenseRequest {
  @ApiProperty({ example: 'pro' })
  @IsString()
  @Matches(PLAN_CODE, { message: 'plan must be a plan code like pro' })
  plan: string;
  @ApiPropertyOptional({ description: "Seats; the plan's when left out." })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  seats?: number;
  @ApiPropertyOptional({ description: 'Start (ISO 8601); now when left out.' })
  @IsOptional()
  @IsISO8601()
  validFrom?: string;
  @ApiProperty({ nullable: true, example: '2027-12-31T00:00:00Z', description: 'End (ISO 8601); null for no end.' })
  @ValidateIf((_o, v) => v !== null)
  @IsISO8601()
  validUntil: string | null;
}

export class RenewLicenseDto {
  @ApiProperty({ nullable: true, example: '2028-12-31T00:00:00Z' })
  @ValidateIf((_o, v) => v !== null)
  @IsISO8601()
  validUntil: string | null;
}

export class ExpiringQuery {
  @ApiPropertyOptional({ default: 30 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(366) days = 30;
}
