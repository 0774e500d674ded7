import { ApiProperty } from '@nestjs/swagger';
import { IsEmailAddress } from '@tenantry/api-core';

export class SsoDiscoverQuery {
  @ApiProperty({ example: 'jane@acme.com' }) @IsEmailAddress() email: string;
}
