import { Injectable } from '@nestjs/common';
import { TenantDataSources, TenantDb } from '@tenantry/api-tenancy';
import { VerifiedDomainEntity } from './entities/verified-domain.entity.js';

/**
 * The verified_domains table. Statements run in the context's tenant
 * transaction (row-level security scopes them to its tenant), except the two
 * reads across tenants: who may join by domain (a person's own view, see
 * TenantDb.asUser) and the console's search (the platform path).
 */
@Injectable()
export class DomainsRepository {
  constructor(
    private readonly db: TenantDb,
    private readonly sources: TenantDataSources,
  ) {}

  async insert(domain: Pick<VerifiedDomainEntity, 'id' | 'domain' | 'verificationToken' | 'createdBy'>): Promise<void> {
    await (await this.db.repository(VerifiedDomainEntity)).insert({ ...domain, tenantId: this.db.tenantId });
  }

  async list(): Promise<VerifiedDomainEntity[]> {
    return (await this.db.repository(VerifiedDomainEntity)).find({ order: { domain: 'ASC' } });
  }

  async find(id: string): Promise<VerifiedDomainEntity | null> {
    return (await this.db.repository(VerifiedDomainEntity)).findOneBy({ id });
  }

  async findByDomain(domain: string): Promise<VerifiedDomainEntity | null> {
    return (await this.db.repository(VerifiedDomainEntity)).findOneBy({ domain });
  }

  async update(
    id: string,
    changes: Partial<
      Pick<VerifiedDomainEntity, 'verifiedAt' | 'lastCheckedAt' | 'lastCheckError' | 'autoJoin' | 'ssoRequired'>
    >,
  ): Promise<void> {
    await (await this.db.repository(VerifiedDomainEntity)).update({ id }, changes);
  }

  async delete(id: string): Promise<void> {
    await (await this.db.repository(VerifiedDomainEntity)).delete({ id });
  }

  /**
   * The verified auto-join claims of `domain` in every tenant, read outside
   * any tenant (row-level security's reviewed `auto_join_domains` policy) for
   * `userId` (empty: nobody yet).
   */
  async autoJoinClaims(domain: string, userId: string): Promise<{ tenant_id: string; domain: string }[]> {
    return this.db.asUser(userId, (m) =>
      m.query(
        'select tenant_id, domain from verified_domains where domain = $1 and verified_at is not null and auto_join',
        [domain],
      ),
    );
  }

  /** Ids of the tenants, in any database, one of whose domains matches the ILIKE `pattern` (the platform path). */
  async tenantsMatching(pattern: string): Promise<string[]> {
    const rows = await this.sources.everywhere<{ tenant_id: string }>(
      'select tenant_id from verified_domains where domain ilike $1',
      [pattern],
    );
    return rows.map((r) => r.tenant_id);
  }
}
