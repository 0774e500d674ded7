import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsInt, IsObject, IsOptional, IsString, Max, MaxLength, Min, ValidateIf } from 'class-validator';

export class FeatureSettingDto {
  @ApiProperty({ description: 'Off for every tenant, whatever else says.' }) @IsBoolean() killed: boolean;
  @ApiProperty({
    nullable: true,
    description:
      'Share of tenants (by a stable hash) that get it when neither an override nor the plan decides; null: the default.',
  })
  @ValidateIf((_o, v) => v !== null)
  @IsInt()
  @Min(0)
  @Max(100)
  rolloutPercent: number | null;
}

export class FeatureOverrideDto {
  @ApiProperty() @IsBoolean() enabled: boolean;
  @ApiPropertyOptional({ nullable: true, description: 'Configuration the feature reads for this tenant.' })
  @IsOptional()
  @ValidateIf((_o, v) => v !== null)
  @IsObject()
  config?: Record<string, unknown> | null;
}

export class MatrixQuery {
  @ApiPropertyOptional({ description: 'Tenants by name or address.' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  q?: string;
}
