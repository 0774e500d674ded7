import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDate, IsInt, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min } from 'class-validator';

export class ListPlatformAuditEventsQuery {
  @ApiPropertyOptional({
    example: 'tenant',
    description: 'An action (`tenant.suspended`) or its family (`tenant`: every tenant.* entry).',
  })
  @IsOptional()
  @Matches(/^[a-z_]{1,40}(\.[a-z_]{1,60})?$/, {
    message: 'action must be an action like tenant.suspended or a family like tenant',
  })
  action?: string;
  @ApiPropertyOptional({ description: "The actor's user id or email." })
  @IsOptional()
  @IsString()
  @MaxLength(254)
  actor?: string;
  @ApiPropertyOptional({ description: 'Entries about this tenant.' }) @IsOptional() @IsUUID() tenantId?: string;
  @ApiPropertyOptional({ description: 'Entries at or after this time (ISO 8601).' })
  @IsOptional()
  @Type(() => Date)
  @IsDate()
  from?: Date;
  @ApiPropertyOptional({ description: 'Entries before this time (ISO 8601).' })
  @IsOptional()
  @Type(() => Date)
  @IsDate()
  to?: Date;
  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit = 50;
  @ApiPropertyOptional({ description: 'The `nextCursor` of the previous page.' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  cursor?: string;
}
