import { Injectable } from '@nestjs/common';
import { type CustomHosts, TenantDataSources, TenantDb } from '@tenantry/api-tenancy';
import type { DataSource } from 'typeorm';
import { CustomDomainEntity } from './entities/custom-domain.entity.js';

/** What the checks of a custom domain change. */
type CustomDomainChanges = Partial<
  Pick<CustomDomainEntity, 'verifiedAt' | 'lastCheckedAt' | 'lastCheckError' | 'failingSince'>
>;

/**
 * The custom_domains table. Statements run in the context's tenant
 * transaction (row-level security scopes them to its tenant), except the reads
 * across tenants: verified host names outside any tenant (row-level security's
 * reviewed `verified_custom_domains` policy) and the console's search (the
 * platform path). It answers the tenancy module's CUSTOM_HOSTS too.
 */
@Injectable()
export class CustomDomainsRepository implements CustomHosts {
  constructor(
    private readonly db: TenantDb,
    private readonly sources: TenantDataSources,
  ) {}

  async list(): Promise<CustomDomainEntity[]> {
    return (await this.db.repository(CustomDomainEntity)).find({ order: { hostname: 'ASC' } });
  }

  async count(): Promise<number> {
    return (await this.db.repository(CustomDomainEntity)).count();
  }

  async insert(domain: Pick<CustomDomainEntity, 'id' | 'hostname' | 'verificationToken' | 'createdBy'>): Promise<void> {
    await (await this.db.repository(CustomDomainEntity)).insert({ ...domain, tenantId: this.db.tenantId });
  }

  async find(id: string): Promise<CustomDomainEntity | null> {
    return (await this.db.repository(CustomDomainEntity)).findOneBy({ id });
  }

  async update(id: string, changes: CustomDomainChanges): Promise<void> {
    await (await this.db.repository(CustomDomainEntity)).update({ id }, changes);
  }

  async delete(id: string): Promise<void> {
    await (await this.db.repository(CustomDomainEntity)).delete({ id });
  }

  /** Every tenant's verified host names (outside any tenant, in the context's global transaction), by id. */
  async verifiedEverywhere(): Promise<{ tenant_id: string; id: string }[]> {
    return this.db.globalTransaction((m) =>
      m.query('select tenant_id, id from custom_domains where verified_at is not null order by id'),
    );
  }

  async tenantIdOf(source: DataSource, hostname: string): Promise<string | null> {
    const rows: { tenant_id: string }[] = await source.query(
      'select tenant_id from custom_domains where hostname = $1 and verified_at is not null',
      [hostname],
    );
    return rows[0]?.tenant_id ?? null;
  }

  /** Ids of the tenants, in any database, one of whose host names matches the ILIKE `pattern` (the platform path). */
  async tenantsMatching(pattern: string): Promise<string[]> {
    const rows = await this.sources.everywhere<{ tenant_id: string }>(
      'select tenant_id from custom_domains where hostname ilike $1',
      [pattern],
    );
    return rows.map((r) => r.tenant_id);
  }
}
