import { type CacheProvider, type SamlConfig, ValidateInResponseTo } from '@node-saml/node-saml';
import type { SsoConnectionEntity } from './entities/sso-connection.entity.js';
import type { ServiceProvider } from './service-provider.js';
import { REQUEST_TTL_MS } from './sso-request-store.js';

// Small on purpose: IdP and API clocks are NTP-synced; a minute covers drift, not stale assertions.
export const CLOCK_SKEW_MS = 60_000;

/**
 * How one connection reads SAML, with nothing left to node-saml's defaults
 * that matters (see docs/sso.md): the AuthnRequest of a
 * sign-in start and the SAML strategy at the ACS both take it from here.
 * `requests` is the connection's request-ID store (InResponseTo).
 */
export function samlOptionsOf(
  connection: SsoConnectionEntity,
  sp: ServiceProvider,
  requests: CacheProvider,
): SamlConfig {
  return {
    idpCert: connection.idpCertificates,
    idpIssuer: connection.idpEntityId,
    entryPoint: connection.idpSsoUrl,
    issuer: sp.entityId,
    audience: sp.entityId,
    callbackUrl: sp.acsUrl,
    identifierFormat: sp.nameIdFormat,
    wantAuthnResponseSigned: true,
    wantAssertionsSigned: true,
    validateInResponseTo: connection.allowIdpInitiated ? ValidateInResponseTo.ifPresent : ValidateInResponseTo.always,
    requestIdExpirationPeriodMs: REQUEST_TTL_MS,
    cacheProvider: requests,
    acceptedClockSkewMs: CLOCK_SKEW_MS,
    signatureAlgorithm: 'sha256',
    digestAlgorithm: 'sha256',
    // Asking for "password over TLS" makes IdPs with MFA or Kerberos refuse; the IdP decides how people prove who they are.
    disableRequestedAuthnContext: true,
  };
}
