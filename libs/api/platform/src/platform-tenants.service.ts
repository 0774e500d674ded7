import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { AuditService, type ListAuditEventsQuery } from '@tenantry/api-audit';
import { BillingService } from '@tenantry/api-billing';
import { InvitationsService } from '@tenantry/api-auth';
import { PeopleService, type TenantPeople } from '@tenantry/api-people';
import { BrandingService } from '@tenantry/api-branding';
import { AppError, containsPattern, encodeCursor, type ResolvedTenant } from '@tenantry/api-core';
import { CustomDomainsService } from '@tenantry/api-custom-domains';
import { DomainsService } from '@tenantry/api-domains';
import { FeatureFlags } from '@tenantry/api-features';
import { LicensingService, PlanCatalog } from '@tenantry/api-licensing';
import { SsoService } from '@tenantry/api-sso';
import { PlatformDatabase, TenancyService, TenantDataSources, TenantDb } from '@tenantry/api-tenancy';
import {
  type AuditEvent,
  type BillingOverview,
  type CreatedTenant,
  ErrorCode,
  type Page,
  type PlatformTenantDetail,
  type PlatformTenantPage,
  type PlatformTenantRow,
  type TenantStatus,
} from '@tenantry/contracts';
import type {
  CreatePlatformTenantDto,
  ListPlatformTenantsQuery,
  UpdatePlatformTenantDto,
} from './dto/platform-tenants.dto.js';
import { afterCursor, cursorScope, SORTS } from './tenant-list-order.js';

interface TenantRow {
  id: string;
  slug: string;
  name: string;
  status: TenantStatus;
  plan: string;
  created_at: Date;
  suspended_reason: string | null;
  impersonation_consent_required: boolean;
  database: string | null;
}

// Members and owner come from the people module, for the rows of the page only.
const ROWS = `
  select t.id, t.slug, t.name, t.status, t.plan, t.created_at, t.suspended_reason, t.impersonation_consent_required,
         (select d.name from tenant_databases d where d.id = t.database_id) as database
    from tenants t`;
/** Sorting by members needs every tenant's count: the parameters `ids` and `counts` (from every database). */
const memberCounts = (ids: string, counts: string) =>
  `left join unnest(${ids}::uuid[], ${counts}::bigint[]) as mc(tenant_id, members) on mc.tenant_id = t.id`;

// Tenants one of whose domains matches $1 (in one database).
const DOMAIN_MATCHES = `
  select tenant_id from verified_domains where domain ilike $1
  union select tenant_id from custom_domains where hostname ilike $1`;
/**
 * The tenants a search finds, by name, slug, one of its domains or (`elsewhere`, found elsewhere) an owner's
 * email or a dedicated database's domain: one pass over each table. `pattern`, `elsewhere`: their parameters.
 */
const matches = (pattern: string, elsewhere: string) => `t.id in (
  select id from tenants where name ilike ${pattern} or slug ilike ${pattern}
  union ${DOMAIN_MATCHES.replaceAll('$1', pattern)}
  union select unnest(${elsewhere}::uuid[]))`;

const toRow = (r: TenantRow, people: TenantPeople): PlatformTenantRow => ({
  id: r.id,
  slug: r.slug,
  name: r.name,
  status: r.status,
  plan: r.plan,
  createdAt: r.created_at.toISOString(),
  suspendedReason: r.suspended_reason,
  impersonationConsentRequired: r.impersonation_consent_required,
  members: people.members,
  ownerEmail: people.ownerEmail,
  database: r.database,
});

/**
 * The console's tenants: the list across all tenants (search, filters, sort,
 * keyset pages) through the platform data path; one tenant's detail read in
 * its own transaction through the services its admins use; creating a tenant
 * with an owner's invitation; renaming.
 */
@Injectable()
export class PlatformTenantsService {
  constructor(
    private readonly platform: PlatformDatabase,
    private readonly sources: TenantDataSources,
    private readonly db: TenantDb,
    private readonly tenancy: TenancyService,
    private readonly audit: AuditService,
    private readonly invitations: InvitationsService,
    private readonly licensing: LicensingService,
    private readonly catalog: PlanCatalog,
    private readonly flags: FeatureFlags,
    private readonly branding: BrandingService,
    private readonly domains: DomainsService,
    private readonly customDomains: CustomDomainsService,
    private readonly sso: SsoService,
    private readonly billing: BillingService,
    private readonly people: PeopleService,
  ) {}

  async list(query: ListPlatformTenantsQuery): Promise<PlatformTenantPage> {
    const sort = SORTS[query.sort];
    const order = query.order ?? sort.natural;
    const filters = ['t.deleted_at is null'];
    const params: unknown[] = [];
    if (query.q) {
      const pattern = containsPattern(query.q);
      const elsewhere = await this.matchesOutsideTenantsTable(pattern);
      filters.push(matches(`$${params.push(pattern)}`, `$${params.push(elsewhere)}`));
    }
    if (query.status) filters.push(`t.status = $${params.push(query.status)}`);
    if (query.plan) filters.push(`t.plan = $${params.push(query.plan)}`);
    const where = filters.join(' and ');
    const [{ total }] = await this.platform.query<{ total: number }>(
      `select count(*)::int as total from tenants t where ${where}`,
      params,
    );
    const pageFilters = [where];
    if (query.cursor)
      pageFilters.push(afterCursor(query.sort, order, query.cursor, (value) => `$${params.push(value)}`));
    let counts = '';
    if (query.sort === 'members') {
      const perTenant = await this.people.memberCountsPerTenant();
      counts = memberCounts(
        `$${params.push(perTenant.map((c) => c.tenantId))}`,
        `$${params.push(perTenant.map((c) => c.members))}`,
      );
    }
    const rows = await this.platform.query<TenantRow & { sort_key: string }>(
      `${ROWS.replace('select t.id', `select ${sort.text} as sort_key, t.id`)} ${counts} where ${pageFilters.join(' and ')}
        order by ${sort.key} ${order}, t.id ${order} limit $${params.push(query.limit + 1)}`,
      params,
    );
    const items = rows.slice(0, query.limit);
    const last = items.at(-1);
    return {
      items: await this.withPeople(items),
      total,
      nextCursor:
        rows.length > query.limit && last
          ? encodeCursor(cursorScope(query.sort, order), { key: last.sort_key, id: last.id })
          : null,
    };
  }

  /** Everything the detail tabs show, read in the tenant's own transaction (row-level security applies). */
  async detail(tenantId: string): Promise<PlatformTenantDetail> {
    const tenant = await this.row(tenantId);
    const resolved = await this.resolved(tenantId);
    return this.db.withTenant(resolved, async () => ({
      tenant,
      url: this.tenancy.urlOf(tenant.slug, '/'),
      plan: await this.licensing.tenantPlan(),
      features: await this.flags.forTenant(resolved),
      branding: await this.branding.settings(),
      domains: await this.domains.list(),
      customDomains: await this.customDomains.list(),
      sso: await this.sso.list(),
      invitations: await this.invitations.list(),
    }));
  }

  /** The tenant's own audit log, as its admins see it. */
  async auditLog(tenantId: string, query: ListAuditEventsQuery): Promise<Page<AuditEvent>> {
    return this.db.withTenant(await this.resolved(tenantId), () => this.audit.list(query));
  }

  /** The tenant's billing as its owners see it (in Stripe mode with its invoices, read from Stripe). */
  async billingOf(tenantId: string): Promise<BillingOverview> {
    return this.db.withTenant(await this.resolved(tenantId), () => this.billing.overview());
  }

  /**
   * A new tenant (trial status, like a signup) and an invitation for its
   * owner, in one transaction: a taken slug or a failing mail leaves nothing.
   * The plan is set after the commit through the same path as a plan change.
   */
  async create(dto: CreatePlatformTenantDto): Promise<CreatedTenant> {
    if (dto.plan) await this.catalog.get(dto.plan);
    const databaseId = dto.database ? await this.databaseNamed(dto.database) : null;
    const id = randomUUID();
    // In the tenant's own database from its first row on: a dedicated one writes the tenant row through to the shared database.
    const invitation = await this.db.withTenant({ id, slug: dto.slug, name: dto.name, databaseId }, async () => {
      await this.tenancy.create({ id, slug: dto.slug, name: dto.name, databaseId });
      return this.invitations.inviteOwner(dto.ownerEmail);
    });
    if (dto.plan) await this.licensing.changePlan(id, dto.plan);
    await this.audit.recordPlatform({
      action: 'tenant.created',
      subject: { type: 'tenant', id },
      metadata: {
        slug: dto.slug,
        name: dto.name,
        owner: dto.ownerEmail,
        plan: dto.plan ?? null,
        database: dto.database ?? null,
      },
    });
    return { tenant: await this.row(id), invitation };
  }

  async update(tenantId: string, dto: UpdatePlatformTenantDto): Promise<PlatformTenantRow> {
    const before = await this.row(tenantId);
    await this.db.withTenant(await this.resolved(tenantId), async () => {
      const m = await this.db.manager();
      if (dto.name !== undefined && dto.name !== before.name) {
        await m.query('update tenants set name = $2 where id = $1', [tenantId, dto.name]);
        await this.audit.record({
          action: 'tenant.renamed',
          target: { type: 'tenant', id: tenantId, label: dto.name },
          metadata: { from: before.name, to: dto.name },
        });
      }
      if (
        dto.impersonationConsentRequired !== undefined &&
        dto.impersonationConsentRequired !== before.impersonationConsentRequired
      ) {
        await m.query('update tenants set impersonation_consent_required = $2 where id = $1', [
          tenantId,
          dto.impersonationConsentRequired,
        ]);
        await this.audit.record({
          action: 'tenant.support_consent_changed',
          target: { type: 'tenant', id: tenantId, label: before.name },
          metadata: { required: dto.impersonationConsentRequired },
        });
      }
    });
    this.tenancy.forget(before);
    return this.row(tenantId);
  }

  private async databaseNamed(name: string): Promise<string> {
    const [row] = await this.platform.query<{ id: string }>('select id from tenant_databases where name = $1', [name]);
    if (!row) throw new AppError(ErrorCode.DATABASE_NOT_FOUND, { database: name });
    return row.id;
  }

  private async row(tenantId: string): Promise<PlatformTenantRow> {
    const [row] = await this.platform.query<TenantRow>(`${ROWS} where t.id = $1 and t.deleted_at is null`, [tenantId]);
    if (!row) throw new AppError(ErrorCode.TENANT_NOT_FOUND);
    return (await this.withPeople([row]))[0];
  }

  /** The rows with their members and owner, read where each tenant lives, in one go. */
  private async withPeople(rows: TenantRow[]): Promise<PlatformTenantRow[]> {
    const people = await this.people.peopleOfTenants(rows.map((r) => r.id));
    return rows.map((r) => toRow(r, people.get(r.id)!));
  }

  /** Ids of tenants whose owner's email (in any database) or a dedicated database's domain matches `pattern`. */
  private async matchesOutsideTenantsTable(pattern: string): Promise<string[]> {
    const dedicated = await this.sources.dedicatedPlatforms();
    const [owners, domains] = await Promise.all([
      this.people.tenantsWithOwnerMatching(pattern),
      Promise.all(dedicated.map((db) => db.query<{ tenant_id: string }>(DOMAIN_MATCHES, [pattern]))),
    ]);
    return [...owners, ...domains.flat().map((r) => r.tenant_id)];
  }

  private async resolved(tenantId: string): Promise<ResolvedTenant> {
    const tenant = await this.tenancy.find(tenantId);
    if (!tenant) throw new AppError(ErrorCode.TENANT_NOT_FOUND);
    return tenant;
  }
}
