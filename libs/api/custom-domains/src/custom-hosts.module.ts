import { Global, Module } from '@nestjs/common';
import { CUSTOM_HOSTS } from '@tenantry/api-tenancy';
import { CustomDomainsRepository } from './custom-domains.repository.js';

/**
 * Answers the tenancy module's question, which tenant a verified custom host
 * name points at (CUSTOM_HOSTS), for the tenant resolver. Tenancy cannot
 * import this module (it depends on tenancy): global, so TenancyService sees
 * the answer wherever custom domains are loaded.
 */
@Global()
@Module({
  providers: [{ provide: CUSTOM_HOSTS, useClass: CustomDomainsRepository }],
  exports: [CUSTOM_HOSTS],
})
export class CustomHostsModule {}
