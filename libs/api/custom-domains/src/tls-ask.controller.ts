import { Controller, Get, Query } from '@nestjs/common';
import { ApiQuery, ApiTags } from '@nestjs/swagger';
import { AppError, Public, AvailableInMaintenance } from '@tenantry/api-core';
import { ErrorCode } from '@tenantry/contracts';
import { TenancyService } from '@tenantry/api-tenancy';

/**
 * The edge's question before it gets a certificate on demand (Caddy's
 * `on_demand_tls { ask … }`): 200 only for a verified custom domain of a live
 * tenant. Anything else 404 — an open answer would let anyone make the edge
 * request certificates for any name and exhaust our rate limits.
 */
@ApiTags('custom-domains')
@Controller('tls/ask')
export class TlsAskController {
  constructor(private readonly tenancy: TenancyService) {}

  @Public()
  @AvailableInMaintenance()
  @Get()
  @ApiQuery({ name: 'domain', description: 'The host name a TLS handshake asked for.' })
  async ask(@Query('domain') domain: unknown): Promise<{ domain: string; allowed: true }> {
    const hostname = typeof domain === 'string' ? domain.trim().toLowerCase().replace(/\.$/, '') : '';
    const tenant = hostname ? await this.tenancy.findByHost(hostname) : null;
    if (!tenant || tenant.status === 'suspended' || tenant.status === 'cancelled')
      throw new AppError(ErrorCode.DOMAIN_NOT_FOUND);
    return { domain: hostname, allowed: true };
  }
}
