import { Global, Module } from '@nestjs/common';
import { SSO_CONNECTION_LOOKUP } from '@tenantry/api-domains';
import { SsoConnectionsRepository } from './sso-connections.repository.js';

/**
 * Answers the domains module's question, which enabled connection serves a
 * domain (SSO_CONNECTION_LOOKUP). Domains cannot import this module (it
 * depends on domains): global, so DomainsModule sees the answer wherever the
 * SSO module is loaded.
 */
@Global()
@Module({
  providers: [{ provide: SSO_CONNECTION_LOOKUP, useClass: SsoConnectionsRepository }],
  exports: [SSO_CONNECTION_LOOKUP],
})
export class SsoConnectionLookupModule {}
