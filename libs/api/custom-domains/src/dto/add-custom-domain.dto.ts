import { ApiProperty } from '@nestjs/swagger';
import { DOMAIN_PATTERN } from '@tenantry/contracts';
import { Transform } from 'class-transformer';
import { Matches } from 'class-validator';

export class AddCustomDomainDto {
  @ApiProperty({ example: 'app.acme.com', description: 'A host name of your company that should open this workspace.' })
  @Transform(({ value }) => (typeof value === 'string' ? value.trim().toLowerCase().replace(/\.$/, '') : value))
  @Matches(DOMAIN_PATTERN, { message: 'hostname must be a host name like app.example.com' })
  hostname: string;
}
