import { Injectable } from '@nestjs/common';
import { readTenantCatalog, TenantDataSources, TenantsRepository } from '@tenantry/api-tenancy';

/**
 * The purge's SQL: every tenant table, found in the tenant catalog rather than
 * listed by name (as data export does), so a new tenant table is purged too.
 */
@Injectable()
export class LifecycleRepository {
  constructor(
    private readonly sources: TenantDataSources,
    private readonly tenants: TenantsRepository,
  ) {}

  /**
   * Deletes the tenant's rows from every tenant table, children before
   * parents, and marks its purge done, in one transaction through the platform
   * path (some tables are append-only for the app role) of the tenant's own
   * database (a dedicated one reaches `tenants` through its foreign table, in
   * the same transaction). Returns the rows deleted per table.
   */
  async purgeRows(tenantId: string): Promise<Record<string, number>> {
    const platform = await this.sources.platformOf(tenantId);
    return platform.transaction(async (m) => {
      const catalog = await readTenantCatalog(m);
      const counts: Record<string, number> = {};
      for (const table of catalog.deletionOrder) {
        const [, count]: [unknown, number] = await m.query(`delete from "${table}" where tenant_id = $1`, [tenantId]);
        counts[table] = count;
      }
      await this.tenants.markPurged(m, tenantId);
      return counts;
    });
  }
}
