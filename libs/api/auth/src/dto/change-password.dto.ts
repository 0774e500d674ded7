import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength } from 'class-validator';
import { IsAcceptablePassword, PASSWORD_MAX_LENGTH } from '../password-policy.js';

export class ChangePasswordDto {
  @ApiProperty() @IsString() @MaxLength(PASSWORD_MAX_LENGTH) currentPassword: string;
  @ApiProperty({ minLength: 12, description: '12 to 200 characters, not a commonly breached password.' })
  @IsAcceptablePassword()
  newPassword: string;
}
