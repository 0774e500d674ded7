import { ApiProperty } from '@nestjs/swagger';
import { IsUUID } from 'class-validator';

export class JoinTenantDto {
  @ApiProperty() @IsUUID() tenantId: string;
}
