import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsOptional, IsString, IsUUID, Length, MaxLength } from 'class-validator';

export class StartImpersonationDto {
  @ApiProperty() @IsUUID() tenantId: string;
  @ApiProperty() @IsUUID() userId: string;
  @ApiProperty({ minLength: 10, description: 'Why: shown to the tenant in its audit log (e.g. the support ticket).' })
  @Transform(({ value }) => (typeof value === 'string' ? value.trim() : value))
  @IsString() @Length(10, 500)
  reason: string;
}

export class TenantSearchQuery {
  @ApiPropertyOptional({ description: 'Part of the name or slug.' }) @IsOptional() @IsString() @MaxLength(100) q?: string;
}

export class PlatformTenantSettingsDto {
  @ApiProperty({ description: 'An owner must approve each impersonation first.' }) @IsBoolean() impersonationConsentRequired: boolean;
}
