import { ApiProperty, PickType } from '@nestjs/swagger';
import { SLUG_PATTERN } from '@tenantry/contracts';
import { Transform } from 'class-transformer';
import { IsEmail, IsString, IsUUID, Length, Matches, MaxLength } from 'class-validator';
import { IsAcceptablePassword } from '../password-policy.js';

const trim = () => Transform(({ value }) => (typeof value === 'string' ? value.trim() : value));

export class SignupDto {
  @ApiProperty({ example: 'Acme Inc.' }) @trim() @IsString() @Length(2, 100) tenantName: string;
  @ApiProperty({ example: 'acme', description: 'Lower-case letters, digits and hyphens; the tenant subdomain.' })
  @trim()
  @Matches(SLUG_PATTERN, { message: 'slug must be 3-40 lower-case letters, digits or inner hyphens' })
  slug: string;
  @ApiProperty({ example: 'Ada Lovelace' }) @trim() @IsString() @Length(1, 100) displayName: string;
  @ApiProperty({ example: 'ada@acme.test' }) @trim() @IsEmail() @MaxLength(254) email: string;
  @ApiProperty({ minLength: 12, description: '12 to 200 characters, not a commonly breached password.' }) @IsAcceptablePassword() password: string;
}

/** Signup to join a tenant that lets people of the email's domain in, instead of creating one. */
export class SignupToJoinDto extends PickType(SignupDto, ['displayName', 'email', 'password'] as const) {
  @ApiProperty({ format: 'uuid', description: 'A tenant from GET /api/auth/signup/options.' }) @IsUUID() tenantId: string;
}

export class SignupOptionsQuery extends PickType(SignupDto, ['email'] as const) {}
