import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { DOMAIN_PATTERN } from '@tenantry/contracts';
import { Transform } from 'class-transformer';
import { IsBoolean, IsOptional, Matches } from 'class-validator';

export class ClaimDomainDto {
  @ApiProperty({ example: 'acme.com', description: 'A domain your company controls (not a public email domain).' })
  @Transform(({ value }) => (typeof value === 'string' ? value.trim().toLowerCase().replace(/\.$/, '') : value))
  @Matches(DOMAIN_PATTERN, { message: 'domain must be a domain name like example.com' })
  domain: string;
}

export class DomainSettingsDto {
  @ApiPropertyOptional({ description: 'People with a confirmed email on this domain may join as members.' })
  @IsOptional()
  @IsBoolean()
  autoJoin?: boolean;
  @ApiPropertyOptional({
    description: 'Refuse password sign-in and invitations for this domain: its people sign in through SSO.',
  })
  @IsOptional()
  @IsBoolean()
  ssoRequired?: boolean;
}
