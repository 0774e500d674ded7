import { ApiPropertyOptional } from '@nestjs/swagger';
import { CONTACT_SORTS, type ContactSort } from '@tenantry/contracts';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';

export class ListContactsQuery {
  @ApiPropertyOptional({ description: 'Case-insensitive search in name, email and company.' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  q?: string;
  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 20 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit = 20;
  @ApiPropertyOptional({ description: 'The `nextCursor` of the previous page.' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  cursor?: string;
  @ApiPropertyOptional({ enum: CONTACT_SORTS, default: 'created' })
  @IsOptional()
  @IsIn(CONTACT_SORTS)
  sort: ContactSort = 'created';
}
