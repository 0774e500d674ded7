import { Inject, Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectDataSource } from '@nestjs/typeorm';
import { type AppConfig, AppError, isUniqueViolation, type ResolvedTenant } from '@tenantry/api-core';
import { DEFAULT_PRIMARY_COLOR, ErrorCode, SLUG_PATTERN, type TenantSummary, UUID_PATTERN } from '@tenantry/contracts';
import type { DataSource } from 'typeorm';
import { TenantEntity } from './entities/tenant.entity.js';
import { TenantCache } from './tenant-cache.js';
import { TenantDb } from './tenant-db.js';

export interface NewTenant {
  id: string;
  slug: string;
  name: string;
}

/** Tenants: look-up for resolution, creation at signup. */
@Injectable()
export class TenancyService {
  private readonly cache = new TenantCache();
  private readonly publicUrl: URL;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly db: TenantDb,
    @Inject(ConfigService) config: ConfigService<AppConfig, true>,
  ) {
    this.publicUrl = new URL(config.get('tenancy', { infer: true }).publicUrl);
  }

  /**
   * Finds a live tenant by slug or id; null when there is none. Only found
   * tenants are cached: a tenant created a moment ago (on any instance) is
   * found at once, even by a caller who asked for it just before.
   */
  async find(slugOrId: string): Promise<ResolvedTenant | null> {
    const key = slugOrId.toLowerCase();
    const cached = this.cache.get(key);
    if (cached) return cached;
    const byId = UUID_PATTERN.test(key);
    if (!byId && !SLUG_PATTERN.test(key)) return null;
    const rows: ResolvedTenant[] = await this.dataSource.query(
      `select id, slug, name, status from tenants where ${byId ? 'id = $1::uuid' : 'slug = $1'} and deleted_at is null`,
      [key],
    );
    const tenant = rows[0] ?? null;
    if (tenant) this.cache.set(key, tenant);
    return tenant;
  }

  /** An absolute address in the tenant's app (for links in emails): `<slug>.<PUBLIC_URL host><path>`. */
  urlOf(slug: string, path: string): string {
    return `${this.publicUrl.protocol}//${slug}.${this.publicUrl.host}${path}`;
  }

  /** An absolute address on the platform's own host (no tenant), for the operator's links. */
  platformUrl(path: string): string {
    return `${this.publicUrl.origin}${path}`;
  }

  /** The primary color of the current tenant (minimal branding until the branding module). */
  async primaryColor(tenantId: string): Promise<string> {
    const rows: { primary_color: string }[] = await this.dataSource.query(
      'select primary_color from tenants where id = $1',
      [tenantId],
    );
    return rows[0]?.primary_color ?? DEFAULT_PRIMARY_COLOR;
  }

  /**
   * Inserts a tenant inside the caller's tenant transaction (see TenantDb.withTenant),
   * so the tenant and its first rows commit or vanish together.
   */
  async create(tenant: NewTenant): Promise<TenantSummary> {
    const repo = await this.db.repository(TenantEntity);
    try {
      await repo.insert({
        id: tenant.id,
        slug: tenant.slug,
        name: tenant.name,
        status: 'trial',
        plan: 'free',
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw new AppError(ErrorCode.SLUG_TAKEN, { slug: tenant.slug });
      throw error;
    }
    return { id: tenant.id, slug: tenant.slug, name: tenant.name };
  }
}
