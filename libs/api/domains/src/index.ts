export { DomainsModule } from './domains.module.js';
export { DomainsService } from './domains.service.js';
export { SSO_CONNECTION_LOOKUP, type SsoConnectionLookup } from './sso-connection-lookup.js';
export { DomainVerifier, type DnsCheck } from './domain-verifier.js';
export { verificationRecord } from './dns-record.js';
export { requireTxtProof } from './dns-proof.js';
