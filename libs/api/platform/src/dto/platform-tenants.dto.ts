import type { CreatePlatformTenantRequest } from '@tenantry/contracts';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmailAddress } from '@tenantry/api-core';
import {
  PLATFORM_TENANT_SORTS,
  type PlatformTenantSort,
  SLUG_PATTERN,
  TENANT_STATUSES,
  type TenantStatus,
} from '@tenantry/contracts';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Length, Matches, Max, MaxLength, Min } from 'class-validator';

const trim = () => Transform(({ value }) => (typeof value === 'string' ? value.trim() : value));
const PLAN_CODE = /^[a-z][a-z0-9-]{1,30}$/;

export class ListPlatformTenantsQuery {
  @ApiPropertyOptional({ description: "Part of the name, slug, an owner's email or a domain (verified or custom)." })
  @IsOptional()
  @trim()
  @IsString()
  @MaxLength(100)
  q?: string;
  @ApiPropertyOptional({ enum: TENANT_STATUSES }) @IsOptional() @IsIn(TENANT_STATUSES) status?: TenantStatus;
  @ApiPropertyOptional({ example: 'pro' })
  @IsOptional()
  @Matches(PLAN_CODE, { message: 'plan must be a plan code like pro' })
  plan?: string;
  @ApiPropertyOptional({
    enum: PLATFORM_TENANT_SORTS,
    default: 'created',
    description: 'name: A→Z; created: newest first; members: most first (`order` reverses).',
  })
  @IsOptional()
  @IsIn(PLATFORM_TENANT_SORTS)
  sort: PlatformTenantSort = 'created';
  @ApiPropertyOptional({ enum: ['asc', 'desc'], description: 'Default: asc for name, desc otherwise.' })
  @IsOptional()
  @IsIn(['asc', 'desc'])
  order?: 'asc' | 'desc';
  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 25 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit = 25;
  @ApiPropertyOptional({ description: 'The `nextCursor` of the previous page.' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  cursor?: string;
}

/** A tenant the operator creates; its owner gets an invitation by email. */
export class CreatePlatformTenantDto implements CreatePlatformTenantRequest {
  @ApiProperty({ example: 'Acme Inc.' }) @trim() @IsString() @Length(2, 100) name: string;
  @ApiProperty({ example: 'acme', description: 'Lower-case letters, digits and hyphens; the tenant subdomain.' })
  @trim()
  @Matches(SLUG_PATTERN, { message: 'slug must be 3-40 lower-case letters, digits or inner hyphens' })
  slug: string;
  @ApiProperty({ example: 'ada@acme.test', description: 'Invited as the owner.' })
  @IsEmailAddress()
  ownerEmail: string;
  @ApiPropertyOptional({ example: 'pro', description: 'A plan code; default free.' })
  @IsOptional()
  @Matches(PLAN_CODE, { message: 'plan must be a plan code like pro' })
  plan?: string;
  @ApiPropertyOptional({
    example: 'acme-eu',
    description:
      "A registered dedicated database to hold the tenant's rows (enterprise isolation); default the shared one.",
  })
  @IsOptional()
  @Matches(/^[a-z0-9][a-z0-9-]{0,62}$/, { message: 'database must be the name of a registered dedicated database' })
  database?: string;
}

/** What the console edits of a tenant: its name and whether support needs an owner's approval. */
export class UpdatePlatformTenantDto {
  @ApiPropertyOptional({ example: 'Acme Inc.' }) @IsOptional() @trim() @IsString() @Length(2, 100) name?: string;
  @ApiPropertyOptional({ description: 'An owner must approve each impersonation first.' })
  @IsOptional()
  @IsBoolean()
  impersonationConsentRequired?: boolean;
}
