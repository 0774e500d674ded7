import { Inject, Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { AuditService } from '@tenantry/api-audit';
import { type AppConfig, AppError, FileStorage, RequestContext } from '@tenantry/api-core';
import { TenancyService, TenantDb, TenantsRepository } from '@tenantry/api-tenancy';
import { type AuditAction, type DeletedTenant, ErrorCode, type PlatformTenant } from '@tenantry/contracts';
import { LifecycleRepository } from './lifecycle.repository.js';

/**
 * A tenant's life as the operator runs it: suspended (with a reason its
 * people see) and reactivated; deleted softly (restorable for
 * TENANT_PURGE_GRACE_DAYS), then purged by a job — every row of every tenant
 * table (found in the catalog, not listed by hand) and every stored file.
 */
@Injectable()
export class TenantLifecycleService {
  private readonly logger = new Logger(TenantLifecycleService.name);
  private readonly graceDays: number;

  constructor(
    private readonly db: TenantDb,
    private readonly tenancy: TenancyService,
    private readonly tenants: TenantsRepository,
    private readonly rows: LifecycleRepository,
    private readonly audit: AuditService,
    private readonly storage: FileStorage,
    @Inject(ConfigService) config: ConfigService<AppConfig, true>,
  ) {
    this.graceDays = config.get('lifecycle', { infer: true }).purgeGraceDays;
  }

  async suspend(tenantId: string, reason: string): Promise<PlatformTenant> {
    await this.change(tenantId, 'tenant.suspended', () => this.tenants.suspend(tenantId, reason), { reason });
    return this.live(tenantId);
  }

  async reactivate(tenantId: string): Promise<PlatformTenant> {
    await this.change(tenantId, 'tenant.reactivated', () => this.tenants.reactivate(tenantId), {});
    return this.live(tenantId);
  }

  /** Soft delete: the tenant disappears at once (its addresses answer TENANT_NOT_FOUND) and can be restored until its purge. */
  async delete(tenantId: string): Promise<DeletedTenant> {
    const purgeAfter = new Date(Date.now() + this.graceDays * 86_400_000);
    await this.change(tenantId, 'tenant.deleted', () => this.tenants.markDeleted(tenantId, purgeAfter), {
      purgeAfter: purgeAfter.toISOString(),
    });
    return (await this.deleted()).find((t) => t.id === tenantId)!;
  }

  /** An owner deletes the request's tenant, confirming with its address; then as `delete`. */
  async requestDeletion(confirm: string): Promise<DeletedTenant> {
    const tenant = RequestContext.current()?.tenant;
    if (!tenant) throw new AppError(ErrorCode.TENANT_REQUIRED);
    if (confirm.trim() !== tenant.slug) throw new AppError(ErrorCode.DELETION_NOT_CONFIRMED);
    await this.audit.record({
      action: 'tenant.deletion_requested',
      target: { type: 'tenant', id: tenant.id, label: tenant.name },
    });
    await this.audit.recordPlatform({
      action: 'tenant.deletion_requested',
      subject: { type: 'tenant', id: tenant.id },
      metadata: { by: 'owner' },
    });
    return this.delete(tenant.id);
  }

  async restore(tenantId: string): Promise<PlatformTenant> {
    const row = await this.tenants.lifecycleOf(tenantId);
    if (row?.purgedAt) throw new AppError(ErrorCode.TENANT_PURGED);
    await this.change(tenantId, 'tenant.restored', () => this.tenants.restore(tenantId), {});
    return this.live(tenantId);
  }

  /** Deleted tenants waiting for their purge, the soonest first. */
  async deleted(): Promise<DeletedTenant[]> {
    return (await this.tenants.awaitingPurge(200)).map((r) => ({
      id: r.id,
      slug: r.slug,
      name: r.name,
      deletedAt: r.deletedAt!.toISOString(),
      purgeAfter: r.purgeAfter!.toISOString(),
    }));
  }

  /** Purges every deleted tenant whose grace period is over; returns how many. */
  async purgeDue(now = new Date()): Promise<number> {
    const due = await this.tenants.dueForPurge(now);
    for (const id of due) await this.purge(id);
    return due.length;
  }

  /**
   * Empties every tenant table of the tenant in one transaction, through the
   * platform path (some tables are append-only for the app role), children
   * before parents; then its files. The `tenants` row stays as a tombstone.
   */
  async purge(tenantId: string): Promise<Record<string, number>> {
    const removed = await this.rows.purgeRows(tenantId);
    await this.storage.deleteAll(`tenants/${tenantId}`);
    await this.audit.recordPlatform({
      action: 'tenant.purged',
      subject: { type: 'tenant', id: tenantId },
      metadata: { rows: removed },
    });
    this.logger.log(`tenant ${tenantId} purged: ${Object.values(removed).reduce((a, b) => a + b, 0)} rows`);
    return removed;
  }

  /** One change of a tenant: applied, recorded in the tenant's log (and so the platform's), caches dropped everywhere. */
  private async change(
    tenantId: string,
    action: AuditAction,
    apply: () => Promise<boolean>,
    metadata: Record<string, unknown>,
  ): Promise<void> {
    const before = await this.tenants.lifecycleOf(tenantId);
    if (!before || before.purgedAt) throw new AppError(ErrorCode.TENANT_NOT_FOUND);
    if (!(await apply())) throw new AppError(ErrorCode.TENANT_NOT_FOUND);
    // Written to the platform's log too (an operator acts): see AuditService.record.
    await this.db.withTenant({ id: tenantId }, () =>
      this.audit.record({ action, target: { type: 'tenant', id: tenantId, label: before.name }, metadata }),
    );
    this.tenancy.forget({ id: tenantId, slug: before.slug });
  }

  private async live(tenantId: string): Promise<PlatformTenant> {
    const tenant = await this.tenancy.byId(tenantId);
    if (!tenant) throw new AppError(ErrorCode.TENANT_NOT_FOUND);
    return tenant;
  }
}
