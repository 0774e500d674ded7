import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsOptional, IsString, Length, MaxLength } from 'class-validator';
import { PASSWORD_MAX_LENGTH } from '../password-policy.js';

export class InvitationTokenDto {
  @ApiProperty({ description: 'The token from the invitation link.' }) @IsString() @Length(20, 100) token: string;
}

export class AcceptInvitationDto extends InvitationTokenDto {
  @ApiPropertyOptional({ description: 'New accounts only: the name to show.' })
  @IsOptional()
  @Transform(({ value }) => (typeof value === 'string' ? value.trim() : value))
  @IsString()
  @Length(1, 100)
  displayName?: string;
  @ApiProperty({ description: 'New account: its password (policy applies). Existing account: its current password.' })
  @IsString()
  @MaxLength(PASSWORD_MAX_LENGTH)
  password: string;
}
