import { ApiProperty } from '@nestjs/swagger';
import { IsEmailAddress } from '@tenantry/api-core';
import { IsString, Length } from 'class-validator';
import { IsAcceptablePassword } from '../password-policy.js';

export class ForgotPasswordDto {
  @ApiProperty({ example: 'ada@acme.test' }) @IsEmailAddress() email: string;
}

export class ResetPasswordDto {
  @ApiProperty({ description: 'The token from the reset link.' }) @IsString() @Length(20, 100) token: string;
  @ApiProperty({ minLength: 12, description: '12 to 200 characters, not a commonly breached password.' })
  @IsAcceptablePassword()
  newPassword: string;
}

export class EmailTokenDto {
  @ApiProperty({ description: 'The token from the verification link.' }) @IsString() @Length(20, 100) token: string;
}
