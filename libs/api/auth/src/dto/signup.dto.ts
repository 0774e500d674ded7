import type { SignupRequest } from '@tenantry/contracts';
import { ApiProperty, ApiPropertyOptional, PickType } from '@nestjs/swagger';
import { INDUSTRIES, SLUG_PATTERN } from '@tenantry/contracts';
import { Transform } from 'class-transformer';
import { IsEmailAddress } from '@tenantry/api-core';
import { IsIn, IsOptional, IsString, IsUUID, Length, Matches, MaxLength } from 'class-validator';
import { IsAcceptablePassword } from '../password-policy.js';

/** The wizard's logo waits in Redis with the signup until its link is opened: kept small. */
const LOGO_MAX_KB = 32;
const LOGO_MAX_DATA_URL = 'data:image/jpeg;base64,'.length + Math.ceil((LOGO_MAX_KB * 1024) / 3) * 4;

const trim = () => Transform(({ value }) => (typeof value === 'string' ? value.trim() : value));

export class SignupDto implements SignupRequest {
  @ApiProperty({ example: 'Acme Inc.' }) @trim() @IsString() @Length(2, 100) tenantName: string;
  @ApiProperty({ example: 'acme', description: 'Lower-case letters, digits and hyphens; the tenant subdomain.' })
  @trim()
  @Matches(SLUG_PATTERN, { message: 'slug must be 3-40 lower-case letters, digits or inner hyphens' })
  slug: string;
  @ApiProperty({ example: 'Ada Lovelace' }) @trim() @IsString() @Length(1, 100) displayName: string;
  @ApiProperty({ example: 'ada@acme.test' }) @IsEmailAddress() email: string;
  @ApiProperty({ minLength: 12, description: '12 to 200 characters, not a commonly breached password.' })
  @IsAcceptablePassword()
  password: string;
  @ApiPropertyOptional({ enum: INDUSTRIES }) @IsOptional() @IsIn(INDUSTRIES) industry?: string;
  @ApiPropertyOptional({
    description: `A data: URL of a PNG, JPEG or WebP image, ${LOGO_MAX_KB} KB at most (a larger one can be set in the branding settings).`,
  })
  @IsOptional()
  @IsString()
  @MaxLength(LOGO_MAX_DATA_URL, { message: `logo must be an image of ${LOGO_MAX_KB} KB at most` })
  @Matches(/^data:image\/(png|jpeg|webp);base64,[A-Za-z0-9+/=]+$/, {
    message: 'logo must be a PNG, JPEG or WebP image',
  })
  logo?: string;
  @ApiPropertyOptional({
    example: 'pro',
    description: "Manual billing: start the plan's trial at once. Stripe mode: ignored (Checkout follows).",
  })
  @IsOptional()
  @Matches(/^[a-z][a-z0-9-]{1,30}$/, { message: 'plan must be a plan code like pro' })
  plan?: string;
}

/** Signup to join a tenant that lets people of the email's domain in, instead of creating one. */
export class SignupToJoinDto extends PickType(SignupDto, ['displayName', 'email', 'password'] as const) {
  @ApiProperty({ format: 'uuid', description: 'A tenant from GET /api/auth/signup/options.' })
  @IsUUID()
  tenantId: string;
}

export class SignupOptionsQuery extends PickType(SignupDto, ['email'] as const) {}

export class SlugQuery {
  @ApiProperty({ example: 'acme' }) @trim() @IsString() @MaxLength(100) slug: string;
}
