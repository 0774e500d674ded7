import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  IsBoolean,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  Validate,
  ValidatorConstraint,
  type ValidatorConstraintInterface,
} from 'class-validator';
import { isTimeZone } from '../windows.js';

const text = () => Transform(({ value }) => (typeof value === 'string' ? value.trim() || null : value));

@ValidatorConstraint({ name: 'timeZone' })
class TimeZoneConstraint implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    return typeof value === 'string' && isTimeZone(value);
  }
  defaultMessage(): string {
    return 'timeZone must be an IANA time zone like Europe/Berlin or UTC';
  }
}

export class MaintenanceSwitchDto {
  @ApiProperty() @IsBoolean() active: boolean;
  @ApiPropertyOptional({ nullable: true, example: 'Upgrading the database; back by 06:00 UTC.' })
  @IsOptional()
  @text()
  @IsString()
  @MaxLength(280)
  message?: string | null;
  @ApiPropertyOptional({ nullable: true, description: 'When maintenance ends by itself (ISO 8601).' })
  @IsOptional()
  @IsISO8601({ strict: true })
  endsAt?: string | null;
}

export class MaintenanceWindowDto {
  @ApiProperty({ description: '0 = Sunday … 6 = Saturday', example: 0 }) @IsInt() @Min(0) @Max(6) dayOfWeek: number;
  @ApiProperty({ example: '02:00' })
  @Matches(/^([01]\d|2[0-3]):[0-5]\d$/, { message: 'startTime must be HH:MM (24-hour)' })
  startTime: string;
  @ApiProperty({ example: 240 }) @IsInt() @Min(1) @Max(1440) durationMinutes: number;
  @ApiProperty({ example: 'Europe/Berlin' }) @Validate(TimeZoneConstraint) timeZone: string;
  @ApiPropertyOptional({ nullable: true }) @IsOptional() @text() @IsString() @MaxLength(280) message?: string | null;
}
