import { Injectable } from '@nestjs/common';
import type { SsoConnectionLookup } from '@tenantry/api-domains';
import { TenantDb } from '@tenantry/api-tenancy';

/** SQL of the sso_connections table, in the context's tenant transaction (row-level security scopes it to its tenant). */
@Injectable()
export class SsoConnectionsRepository implements SsoConnectionLookup {
  constructor(private readonly db: TenantDb) {}

  async enabledConnectionFor(domain: string): Promise<string | null> {
    const rows: { id: string }[] = await (
      await this.db.manager()
    ).query('select id from sso_connections where enabled and $1 = any(domains) order by created_at limit 1', [domain]);
    return rows[0]?.id ?? null;
  }
}
