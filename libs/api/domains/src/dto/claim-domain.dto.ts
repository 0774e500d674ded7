import { ApiProperty } from '@nestjs/swagger';
import { DOMAIN_PATTERN } from '@tenantry/contracts';
import { Transform } from 'class-transformer';
import { IsBoolean, Matches } from 'class-validator';

export class ClaimDomainDto {
  @ApiProperty({ example: 'acme.com', description: 'A domain your company controls (not a public email domain).' })
  @Transform(({ value }) => (typeof value === 'string' ? value.trim().toLowerCase().replace(/\.$/, '') : value))
  @Matches(DOMAIN_PATTERN, { message: 'domain must be a domain name like example.com' })
  domain: string;
}

export class DomainSettingsDto {
  @ApiProperty({ description: 'People with a confirmed email on this domain may join as members.' }) @IsBoolean() autoJoin: boolean;
}
