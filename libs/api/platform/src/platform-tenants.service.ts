import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { AuditService, type ListAuditEventsQuery } from '@tenantry/api-audit';
import { BillingService } from '@tenantry/api-billing';
import { InvitationsService } from '@tenantry/api-auth';
import { PeopleService, type TenantPeople } from '@tenantry/api-people';
import { BrandingService } from '@tenantry/api-branding';
import { AppError, containsPattern, type ResolvedTenant } from '@tenantry/api-core';
import { CustomDomainsService } from '@tenantry/api-custom-domains';
import { DomainsService } from '@tenantry/api-domains';
import { FeatureFlags } from '@tenantry/api-features';
import { LicensingService, PlanCatalog } from '@tenantry/api-licensing';
import { SsoService } from '@tenantry/api-sso';
import {
  type ConsoleTenantQuery,
  type ConsoleTenantRow,
  TenancyService,
  TenantDataSources,
  TenantDb,
  TenantsRepository,
} from '@tenantry/api-tenancy';
import {
  type AuditEvent,
  type BillingOverview,
  type CreatedTenant,
  ErrorCode,
  type Page,
  type PlatformTenantDetail,
  type PlatformTenantPage,
  type PlatformTenantRow,
} from '@tenantry/contracts';
import type {
  CreatePlatformTenantDto,
  ListPlatformTenantsQuery,
  UpdatePlatformTenantDto,
} from './dto/platform-tenants.dto.js';

const toRow = (r: ConsoleTenantRow, people: TenantPeople): PlatformTenantRow => ({
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
    private readonly tenants: TenantsRepository,
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
    const { rows, total, nextCursor } = await this.tenants.consolePage({
      search: query.q ? await this.search(containsPattern(query.q)) : undefined,
      status: query.status,
      plan: query.plan,
      sort: query.sort,
      order: query.order,
      cursor: query.cursor,
      memberCounts: query.sort === 'members' ? await this.people.memberCountsPerTenant() : undefined,
      limit: query.limit,
    });
    return { items: await this.withPeople(rows), total, nextCursor };
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
      if (dto.name !== undefined && dto.name !== before.name) {
        await this.tenants.rename(tenantId, dto.name);
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
        await this.tenants.setImpersonationConsentRequired(tenantId, dto.impersonationConsentRequired);
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
    const id = await this.sources.databaseIdNamed(name);
    if (!id) throw new AppError(ErrorCode.DATABASE_NOT_FOUND, { database: name });
    return id;
  }

  private async row(tenantId: string): Promise<PlatformTenantRow> {
    const row = await this.tenants.consoleRow(tenantId);
    if (!row) throw new AppError(ErrorCode.TENANT_NOT_FOUND);
    return (await this.withPeople([row]))[0];
  }

  /** The rows with their members and owner, read where each tenant lives, in one go. */
  private async withPeople(rows: ConsoleTenantRow[]): Promise<PlatformTenantRow[]> {
    const people = await this.people.peopleOfTenants(rows.map((r) => r.id));
    return rows.map((r) => toRow(r, people.get(r.id)!));
  }

  /** What a search finds beside names and slugs: tenants with an owner's email or a domain (verified or custom) that matches, in any database. */
  private async search(pattern: string): Promise<ConsoleTenantQuery['search']> {
    const found = await Promise.all([
      this.people.tenantsWithOwnerMatching(pattern),
      this.domains.tenantsWithDomainMatching(pattern),
      this.customDomains.tenantsWithHostnameMatching(pattern),
    ]);
    return { pattern, tenantIds: found.flat() };
  }

  private async resolved(tenantId: string): Promise<ResolvedTenant> {
    const tenant = await this.tenancy.find(tenantId);
    if (!tenant) throw new AppError(ErrorCode.TENANT_NOT_FOUND);
    return tenant;
  }
}
