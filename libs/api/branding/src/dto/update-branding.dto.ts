import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsOptional, IsString, Matches, MaxLength } from 'class-validator';

/** `#abc` and `#AABBCC` become `#aabbcc`; anything else stays as sent (and fails the pattern). */
const hexColor = () =>
  Transform(({ value }) => {
    if (typeof value !== 'string') return value;
    const v = value.trim().toLowerCase();
    return /^#[0-9a-f]{3}$/.test(v) ? `#${[...v.slice(1)].map((c) => c + c).join('')}` : v;
  });
/** Blank text means "back to the default". */
const text = () => Transform(({ value }) => (typeof value === 'string' ? value.trim() || null : value));
const COLOR = /^#[0-9a-f]{6}$/;
const colorMessage = (field: string) => `${field} must be a hex color like #1d4ed8 or #17f`;

/** Every field optional; null resets it to the default. Colors are hex only: no names, url() or CSS. */
export class UpdateBrandingDto {
  @ApiPropertyOptional({ nullable: true, example: 'Acme Portal' })
  @IsOptional()
  @text()
  @IsString()
  @MaxLength(60)
  displayName?: string | null;
  @ApiPropertyOptional({ nullable: true, example: '#1d4ed8' })
  @IsOptional()
  @hexColor()
  @Matches(COLOR, { message: colorMessage('primaryColor') })
  primaryColor?: string | null;
  @ApiPropertyOptional({ nullable: true, example: '#0f172a' })
  @IsOptional()
  @hexColor()
  @Matches(COLOR, { message: colorMessage('secondaryColor') })
  secondaryColor?: string | null;
  @ApiPropertyOptional({ nullable: true, description: 'Shown on the sign-in page.' })
  @IsOptional()
  @text()
  @IsString()
  @MaxLength(280)
  welcomeMessage?: string | null;
  @ApiPropertyOptional({ nullable: true }) @IsOptional() @text() @IsString() @MaxLength(200) footerText?: string | null;
  @ApiPropertyOptional({ nullable: true, description: 'Sender name of emails.' })
  @IsOptional()
  @text()
  @IsString()
  @MaxLength(60)
  @Matches(/^[^<>"\r\n]*$/, { message: 'emailFromName must not contain <, >, " or line breaks' })
  emailFromName?: string | null;
  @ApiPropertyOptional({ nullable: true, example: '#1d4ed8' })
  @IsOptional()
  @hexColor()
  @Matches(COLOR, { message: colorMessage('emailColor') })
  emailColor?: string | null;
}
