import { Resolver } from 'node:dns/promises';
import { Inject, Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { AppConfig } from '@tenantry/api-core';

/** `lookupFailed`: DNS did not answer (try later), as opposed to answering without the record. */
export type DnsCheck = { found: true } | { found: false; reason: string; lookupFailed: boolean };

/** Looks for a TXT record through the configured resolvers (DNS_SERVERS), or the system's. */
@Injectable()
export class DomainVerifier {
  private readonly resolver = new Resolver({ timeout: 3000, tries: 2 });

  constructor(@Inject(ConfigService) config: ConfigService<AppConfig, true>) {
    const { servers } = config.get('dns', { infer: true });
    if (servers.length > 0) this.resolver.setServers(servers);
  }

  async check(name: string, value: string): Promise<DnsCheck> {
    let records: string[][];
    try {
      records = await this.resolver.resolveTxt(name);
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (code === 'ENOTFOUND' || code === 'ENODATA')
        return { found: false, reason: `no TXT record at ${name} yet`, lookupFailed: false };
      return {
        found: false,
        reason: `DNS lookup of ${name} failed (${code ?? 'error'}); try again later`,
        lookupFailed: true,
      };
    }
    // A TXT record may arrive split in several strings: join each record's parts.
    const texts = records.map((parts) => parts.join(''));
    if (texts.includes(value)) return { found: true };
    return {
      found: false,
      reason: `the TXT records at ${name} do not include the expected value`,
      lookupFailed: false,
    };
  }
}
