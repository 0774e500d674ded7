import { Inject, Injectable, Optional } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import {
  type AppConfig,
  AppError,
  ChangeBus,
  containsPattern,
  isUniqueViolation,
  type ResolvedTenant,
} from '@tenantry/api-core';
import {
  DOMAIN_PATTERN,
  ErrorCode,
  type PlatformTenant,
  RESERVED_SLUGS,
  SLUG_PATTERN,
  type SlugAvailability,
  type TenantSummary,
  UUID_PATTERN,
} from '@tenantry/contracts';
import { CUSTOM_HOSTS, type CustomHosts } from './custom-hosts.js';
import { TenantEntity } from './entities/tenant.entity.js';
import { TenantCache } from './tenant-cache.js';
import { TenantDataSources } from './tenant-data-sources.js';
import { TenantDb } from './tenant-db.js';
import { TenantsRepository } from './tenants.repository.js';

export interface NewTenant {
  id: string;
  slug: string;
  name: string;
  industry?: string | null;
  /** A registered dedicated database to hold its rows (the caller's withTenant names it too); default the shared one. */
  databaseId?: string | null;
}

/** Variants of a taken address to offer instead. */
function variants(slug: string): string[] {
  const base = slug.slice(0, 34).replace(/-+$/, '');
  return [
    `${base}-hq`,
    `${base}-team`,
    `${base}-app`,
    `get-${base}`.slice(0, 40),
    ...[2, 3, 4].map((n) => `${base}-${n}`),
  ];
}

/** Tenants: look-up for resolution, creation at signup. */
@Injectable()
export class TenancyService {
  private readonly cache: TenantCache;
  private readonly publicUrl: URL;
  private readonly baseDomain: string;

  constructor(
    private readonly tenants: TenantsRepository,
    private readonly db: TenantDb,
    private readonly sources: TenantDataSources,
    private readonly changes: ChangeBus,
    @Inject(ConfigService) config: ConfigService<AppConfig, true>,
    @Optional() @Inject(CUSTOM_HOSTS) private readonly customHosts: CustomHosts | null = null,
  ) {
    const tenancy = config.get('tenancy', { infer: true });
    this.publicUrl = new URL(tenancy.publicUrl);
    this.baseDomain = tenancy.baseDomain;
    // Announcements missed while not listening: forget every tenant (each is read again on its next request).
    const hearsEveryChange = this.changes.follow(
      'tenants',
      (tenant) => this.cache.forget(tenant as { id: string; slug: string }),
      async () => this.cache.clear(),
    );
    this.cache = new TenantCache(hearsEveryChange);
    this.changes.subscribe('custom-domains', ({ hostname }) => this.cache.delete(`host:${String(hostname)}`));
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
    const mark = this.cache.mark();
    const tenant = await this.tenants.resolve(key, byId);
    if (tenant) this.cache.set(key, tenant, mark);
    return tenant;
  }

  /** Whether `host` could be a tenant's custom domain: a DNS name that is not the platform's own. */
  isCustomHost(host: string): boolean {
    return (
      host !== this.baseDomain &&
      !host.endsWith(`.${this.baseDomain}`) &&
      host !== this.publicUrl.hostname &&
      DOMAIN_PATTERN.test(host)
    );
  }

  /**
   * The live tenant a verified custom host name routes to; null when none.
   * Read outside any tenant, in every database (row-level security's reviewed
   * `verified_custom_domains` policy). "None" is cached as well: anyone can
   * send any Host, and each must not cost a query.
   */
  async findByHost(hostname: string): Promise<ResolvedTenant | null> {
    const key = `host:${hostname}`;
    const cached = this.cache.get(key);
    if (cached !== undefined) return cached;
    if (!this.isCustomHost(hostname) || !this.customHosts) return null;
    const mark = this.cache.mark();
    let tenant: ResolvedTenant | null = null;
    // A dedicated tenant's custom domains live in its own database: ask each until one knows the name (of a live tenant).
    for (const source of await this.sources.all()) {
      const tenantId = await this.customHosts.tenantIdOf(source, hostname);
      tenant = tenantId ? await this.find(tenantId) : null;
      if (tenant) break;
    }
    this.cache.set(key, tenant, mark);
    return tenant;
  }

  /** After a custom domain was verified or dropped: every instance looks the host name up again. */
  forgetHost(hostname: string): void {
    this.cache.delete(`host:${hostname}`);
    void this.changes.publish('custom-domains', { hostname });
  }

  /**
   * Origins the API answers cross-origin (CORS, with credentials): on the
   * platform's scheme and port only, the platform's own origin, a live
   * tenant's subdomain, and a live tenant's verified custom domain; looked up
   * (and cached) as the tenant resolver looks up a Host.
   */
  async isAllowedOrigin(origin: string): Promise<boolean> {
    let url: URL;
    try {
      url = new URL(origin);
    } catch {
      return false;
    }
    if (url.protocol !== this.publicUrl.protocol || url.port !== this.publicUrl.port) return false;
    if (url.host === this.publicUrl.host) return true;
    const host = url.hostname;
    const suffix = `.${this.baseDomain}`;
    const tenant = host.endsWith(suffix) ? await this.find(host.slice(0, -suffix.length)) : await this.findByHost(host);
    return tenant !== null && tenant.status !== 'suspended' && tenant.status !== 'cancelled';
  }

  /**
   * After a change to a tenant: it applies here at once, and on every instance once it is
   * committed. Made inside a transaction, the change is announced when that commits, and
   * forgotten here again then (a look-up meanwhile still read the old row).
   */
  forget(tenant: { id: string; slug: string }): void {
    this.cache.forget(tenant);
    this.db.whenCommitted(async () => {
      this.cache.forget(tenant);
      await this.changes.publish('tenants', { id: tenant.id, slug: tenant.slug });
    });
  }

  /** Whether `slug` can be a new workspace's address; when not, up to 3 free ones close to it. */
  async slugAvailability(slug: string): Promise<SlugAvailability> {
    const reason = !SLUG_PATTERN.test(slug)
      ? 'invalid'
      : (RESERVED_SLUGS as readonly string[]).includes(slug)
        ? 'reserved'
        : (await this.tenants.slugsTaken([slug])).size
          ? 'taken'
          : null;
    if (!reason) return { slug, available: true, reason: null, suggestions: [] };
    if (reason === 'invalid') return { slug, available: false, reason, suggestions: [] };
    const candidates = variants(slug).filter(
      (s) => SLUG_PATTERN.test(s) && !(RESERVED_SLUGS as readonly string[]).includes(s),
    );
    const taken = await this.tenants.slugsTaken(candidates);
    return { slug, available: false, reason, suggestions: candidates.filter((c) => !taken.has(c)).slice(0, 3) };
  }

  /** Tenants for the platform console: by name or slug, live ones first, at most 50. */
  search(q: string | undefined): Promise<PlatformTenant[]> {
    return this.tenants.search(q?.trim() ? containsPattern(q.trim()) : null);
  }

  byId(tenantId: string): Promise<PlatformTenant | null> {
    return this.tenants.platformTenant(tenantId);
  }

  /** An absolute address in the tenant's app (for links in emails): `<slug>.<PUBLIC_URL host><path>`. */
  urlOf(slug: string, path: string): string {
    return `${this.publicUrl.protocol}//${slug}.${this.publicUrl.host}${path}`;
  }

  /** An absolute address on the platform's own host (no tenant), for the operator's links. */
  platformUrl(path: string): string {
    return `${this.publicUrl.origin}${path}`;
  }

  /**
   * Inserts a tenant inside the caller's tenant transaction (see TenantDb.withTenant),
   * so the tenant and its first rows commit or vanish together.
   */
  async create(tenant: NewTenant): Promise<TenantSummary> {
    if ((RESERVED_SLUGS as readonly string[]).includes(tenant.slug))
      throw new AppError(ErrorCode.SLUG_TAKEN, { slug: tenant.slug, reason: 'reserved' });
    const repo = await this.db.repository(TenantEntity);
    try {
      await repo.insert({
        id: tenant.id,
        slug: tenant.slug,
        name: tenant.name,
        status: 'trial',
        plan: 'free',
        industry: tenant.industry ?? null,
        databaseId: tenant.databaseId ?? null,
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw new AppError(ErrorCode.SLUG_TAKEN, { slug: tenant.slug });
      throw error;
    }
    return { id: tenant.id, slug: tenant.slug, name: tenant.name };
  }
}
