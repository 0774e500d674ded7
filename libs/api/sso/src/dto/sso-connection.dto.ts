import type { SsoConnectionRequest } from '@tenantry/contracts';
import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { DOMAIN_PATTERN, type TenantRole } from '@tenantry/contracts';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsOptional,
  IsString,
  Length,
  Matches,
  MaxLength,
  ValidateNested,
} from 'class-validator';

// Owners are made by people, never by an identity provider.
const SSO_ROLES = ['admin', 'member', 'viewer'] as const;
const trim = () => Transform(({ value }) => (typeof value === 'string' ? value.trim() : value));

export class AttributeMappingDto {
  @ApiPropertyOptional({ description: 'Attribute with the email; the NameID when empty.' })
  @IsOptional()
  @trim()
  @IsString()
  @MaxLength(200)
  email?: string;
  @ApiPropertyOptional() @IsOptional() @trim() @IsString() @MaxLength(200) firstName?: string;
  @ApiPropertyOptional() @IsOptional() @trim() @IsString() @MaxLength(200) lastName?: string;
  @ApiPropertyOptional({ description: 'Attribute that lists the groups of the user.' })
  @IsOptional()
  @trim()
  @IsString()
  @MaxLength(200)
  groups?: string;
}

export class GroupRoleDto {
  @ApiProperty() @trim() @IsString() @Length(1, 200) group: string;
  @ApiProperty({ enum: SSO_ROLES }) @IsIn(SSO_ROLES) role: TenantRole;
}

export class CreateSsoConnectionDto implements SsoConnectionRequest {
  @ApiProperty({ example: 'Okta' }) @trim() @IsString() @Length(1, 100) name: string;
  @ApiPropertyOptional({ description: 'The IdP metadata XML; or give entity ID, SSO URL and certificate instead.' })
  @IsOptional()
  @IsString()
  @MaxLength(262_144)
  metadataXml?: string;
  @ApiPropertyOptional() @IsOptional() @trim() @IsString() @Length(1, 1000) idpEntityId?: string;
  @ApiPropertyOptional() @IsOptional() @trim() @IsString() @Length(1, 2000) idpSsoUrl?: string;
  @ApiPropertyOptional({ description: 'PEM or base64 DER signing certificate.' })
  @IsOptional()
  @IsString()
  @MaxLength(20_000)
  idpCertificate?: string;
  @ApiPropertyOptional({ enum: SSO_ROLES, default: 'member' }) @IsOptional() @IsIn(SSO_ROLES) defaultRole?: TenantRole;
  @ApiPropertyOptional({ type: AttributeMappingDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => AttributeMappingDto)
  attributeMapping?: AttributeMappingDto;
  @ApiPropertyOptional({ type: [GroupRoleDto] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => GroupRoleDto)
  groupRoles?: GroupRoleDto[];
  @ApiPropertyOptional({ default: true }) @IsOptional() @IsBoolean() enabled?: boolean;
  @ApiPropertyOptional({
    default: false,
    description: 'Accept logins started at the IdP (audience, recipient and replay are still checked).',
  })
  @IsOptional()
  @IsBoolean()
  allowIdpInitiated?: boolean;
  @ApiPropertyOptional({
    type: [String],
    example: ['acme.com'],
    description: "Verified domains this IdP signs people in for (an email's domain picks the connection).",
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @Transform(({ value }) =>
    Array.isArray(value) ? [...new Set(value.map((d) => (typeof d === 'string' ? d.trim().toLowerCase() : d)))] : value,
  )
  @Matches(DOMAIN_PATTERN, { each: true, message: 'each domain must be a domain name like example.com' })
  domains?: string[];
}

export class UpdateSsoConnectionDto extends PartialType(CreateSsoConnectionDto) {}
