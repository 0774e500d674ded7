import type { VerifiedDomain } from '@tenantry/contracts';

/** The TXT record that proves a tenant controls `domain`. */
export function verificationRecord(domain: string, token: string): VerifiedDomain['dnsRecord'] {
  return { type: 'TXT', name: `_tenantry-verification.${domain}`, value: `tenantry-verification=${token}` };
}
