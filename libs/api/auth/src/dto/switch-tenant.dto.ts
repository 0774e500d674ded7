import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';

export class SwitchTenantDto {
  @ApiProperty({ description: 'Slug or id of a tenant the caller belongs to.' })
  @IsString()
  @Length(1, 64)
  tenant: string;
}
