import { Inject, Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { AuditService } from '@tenantry/api-audit';
import { type AppConfig, AppError, FileStorage, RequestContext } from '@tenantry/api-core';
import { readTenantCatalog, TenancyService, TenantDataSources, TenantDb } from '@tenantry/api-tenancy';
import { type AuditAction, type DeletedTenant, ErrorCode, type PlatformTenant } from '@tenantry/contracts';

interface LifecycleRow {
  id: string;
  slug: string;
  name: string;
  deleted_at: Date | null;
  purge_after: Date | null;
  purged_at: Date | null;
}

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
    private readonly audit: AuditService,
    private readonly storage: FileStorage,
    private readonly sources: TenantDataSources,
    @Inject(ConfigService) config: ConfigService<AppConfig, true>,
  ) {
    this.graceDays = config.get('lifecycle', { infer: true }).purgeGraceDays;
  }

  async suspend(tenantId: string, reason: string): Promise<PlatformTenant> {
    await this.change(
      tenantId,
      'tenant.suspended',
      `update tenants set status = 'suspended', suspended_reason = $2 where id = $1 and deleted_at is null`,
      [reason],
      { reason },
    );
    return this.live(tenantId);
  }

  async reactivate(tenantId: string): Promise<PlatformTenant> {
    await this.change(
      tenantId,
      'tenant.reactivated',
      `update tenants set status = 'active', suspended_reason = null where id = $1 and deleted_at is null`,
      [],
      {},
    );
    return this.live(tenantId);
  }

  /** Soft delete: the tenant disappears at once (its addresses answer TENANT_NOT_FOUND) and can be restored until its purge. */
  async delete(tenantId: string): Promise<DeletedTenant> {
    const purgeAfter = new Date(Date.now() + this.graceDays * 86_400_000);
    await this.change(
      tenantId,
      'tenant.deleted',
      'update tenants set deleted_at = now(), purge_after = $2 where id = $1 and deleted_at is null',
      [purgeAfter],
      { purgeAfter: purgeAfter.toISOString() },
    );
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
    const row = await this.row(tenantId);
    if (row?.purged_at) throw new AppError(ErrorCode.TENANT_PURGED);
    await this.change(
      tenantId,
      'tenant.restored',
      'update tenants set deleted_at = null, purge_after = null where id = $1 and deleted_at is not null and purged_at is null',
      [],
      {},
    );
    return this.live(tenantId);
  }

  /** Deleted tenants waiting for their purge, the soonest first. */
  async deleted(): Promise<DeletedTenant[]> {
    const rows: LifecycleRow[] = await this.db.globalTransaction((m) =>
      m.query(
        'select id, slug, name, deleted_at, purge_after, purged_at from tenants where deleted_at is not null and purged_at is null order by purge_after, id limit 200',
      ),
    );
    return rows.map((r) => ({
      id: r.id,
      slug: r.slug,
      name: r.name,
      deletedAt: r.deleted_at!.toISOString(),
      purgeAfter: r.purge_after!.toISOString(),
    }));
  }

  /** Purges every deleted tenant whose grace period is over; returns how many. */
  async purgeDue(now = new Date()): Promise<number> {
    const due: { id: string }[] = await this.db.globalTransaction((m) =>
      m.query(
        'select id from tenants where deleted_at is not null and purged_at is null and purge_after <= $1 order by purge_after',
        [now],
      ),
    );
    for (const { id } of due) await this.purge(id);
    return due.length;
  }

  /**
   * Empties every tenant table of the tenant in one transaction, through the
   * platform path (some tables are append-only for the app role), children
   * before parents; then its files. The `tenants` row stays as a tombstone.
   */
  async purge(tenantId: string): Promise<Record<string, number>> {
    // On the tenant's own database (a dedicated one reaches `tenants` through its foreign table, in the same transaction).
    const platform = await this.sources.platformOf(tenantId);
    const removed = await platform.transaction(async (m) => {
      const catalog = await readTenantCatalog(m);
      const counts: Record<string, number> = {};
      for (const table of catalog.deletionOrder) {
        const [, count]: [unknown, number] = await m.query(`delete from "${table}" where tenant_id = $1`, [tenantId]);
        counts[table] = count;
      }
      await m.query('update tenants set purged_at = now() where id = $1', [tenantId]);
      return counts;
    });
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
    sql: string,
    params: unknown[],
    metadata: Record<string, unknown>,
  ): Promise<void> {
    const before = await this.row(tenantId);
    if (!before || before.purged_at) throw new AppError(ErrorCode.TENANT_NOT_FOUND);
    const [, count]: [unknown, number] = await this.db.globalTransaction((m) => m.query(sql, [tenantId, ...params]));
    if (count === 0) throw new AppError(ErrorCode.TENANT_NOT_FOUND);
    // Written to the platform's log too (an operator acts): see AuditService.record.
    await this.db.withTenant({ id: tenantId }, () =>
      this.audit.record({ action, target: { type: 'tenant', id: tenantId, label: before.name }, metadata }),
    );
    this.tenancy.forget({ id: tenantId, slug: before.slug });
  }

  private async row(tenantId: string): Promise<LifecycleRow | null> {
    const rows: LifecycleRow[] = await this.db.globalTransaction((m) =>
      m.query('select id, slug, name, deleted_at, purge_after, purged_at from tenants where id = $1', [tenantId]),
    );
    return rows[0] ?? null;
  }

  private async live(tenantId: string): Promise<PlatformTenant> {
    const tenant = await this.tenancy.byId(tenantId);
    if (!tenant) throw new AppError(ErrorCode.TENANT_NOT_FOUND);
    return tenant;
  }
}
