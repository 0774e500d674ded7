import { Injectable } from '@nestjs/common';
import { TenantDataSources } from '@tenantry/api-tenancy';

/** How many members a tenant has, and its first owner (by when they joined). */
export interface TenantPeople {
  members: number;
  ownerEmail: string | null;
}

/**
 * Users and memberships across tenants, for the platform console: through the
 * platform path of the shared database and of every dedicated one (each holds
 * its tenants' memberships), never around row-level security in a request.
 */
@Injectable()
export class PlatformPeopleRepository {
  constructor(private readonly sources: TenantDataSources) {}

  async memberCounts(): Promise<{ tenantId: string; members: number }[]> {
    const rows = await this.sources.everywhere<{ tenant_id: string; members: number }>(
      'select tenant_id, count(*)::int as members from memberships group by tenant_id',
    );
    return rows.map((r) => ({ tenantId: r.tenant_id, members: r.members }));
  }

  async tenantsWithOwnerMatching(pattern: string): Promise<string[]> {
    const rows = await this.sources.everywhere<{ tenant_id: string }>(
      `select distinct m.tenant_id from users u join memberships m on m.user_id = u.id and m.role = 'owner' where u.email ilike $1`,
      [pattern],
    );
    return rows.map((r) => r.tenant_id);
  }

  async peopleOf(tenantIds: string[]): Promise<Map<string, TenantPeople>> {
    const rows = await this.sources.everywhere<{ tenant_id: string; members: number; owner_email: string | null }>(
      `select m.tenant_id, count(*)::int as members,
              (array_agg(u.email order by m.created_at, u.email) filter (where m.role = 'owner'))[1] as owner_email
         from memberships m join users u on u.id = m.user_id
        where m.tenant_id = any($1::uuid[]) group by m.tenant_id`,
      [tenantIds],
    );
    return new Map(rows.map((r) => [r.tenant_id, { members: r.members, ownerEmail: r.owner_email }]));
  }

  async membersOf(tenantIds: string[]): Promise<string[]> {
    const rows = await this.sources.everywhere<{ user_id: string }>(
      'select distinct user_id from memberships where tenant_id = any($1::uuid[])',
      [tenantIds],
    );
    return [...new Set(rows.map((r) => r.user_id))];
  }
}
