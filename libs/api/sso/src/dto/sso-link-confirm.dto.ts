import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';

export class SsoLinkConfirmDto {
  @ApiProperty({ description: 'The token from the confirmation link.' }) @IsString() @Length(20, 100) token: string;
}
