import { ApiProperty } from '@nestjs/swagger';
import { IsEmailAddress } from '@tenantry/api-core';
import { IsString, MaxLength } from 'class-validator';

export class LoginDto {
  @ApiProperty({ example: 'ada@acme.test' }) @IsEmailAddress() email: string;
  @ApiProperty() @IsString() @MaxLength(200) password: string;
}
