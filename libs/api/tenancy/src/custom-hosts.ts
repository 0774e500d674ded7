import type { DataSource } from 'typeorm';

/**
 * Which tenant a verified custom host name points at. The custom-domains
 * module keeps those names and depends on this one, so it provides the answer
 * under CUSTOM_HOSTS; without it no host name is a tenant's.
 */
export interface CustomHosts {
  /**
   * The id of the tenant whose verified custom host name `hostname` is, in
   * database `source` (read outside any tenant); null when none there.
   */
  tenantIdOf(source: DataSource, hostname: string): Promise<string | null>;
}

export const CUSTOM_HOSTS = Symbol('CUSTOM_HOSTS');
