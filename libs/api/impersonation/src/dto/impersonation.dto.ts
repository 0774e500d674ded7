import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsString, IsUUID, Length } from 'class-validator';

export class StartImpersonationDto {
  @ApiProperty() @IsUUID() tenantId: string;
  @ApiProperty() @IsUUID() userId: string;
  @ApiProperty({ minLength: 10, description: 'Why: shown to the tenant in its audit log (e.g. the support ticket).' })
  @Transform(({ value }) => (typeof value === 'string' ? value.trim() : value))
  @IsString()
  @Length(10, 500)
  reason: string;
}
