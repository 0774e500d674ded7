import { ExpiringCache, type ResolvedTenant } from '@tenantry/api-core';

/**
 * A few seconds of memory for tenant look-ups, which every request makes.
 * Not a source of truth: an entry lives `ttlMs` at most, so a suspension takes
 * effect everywhere within that time (and at once on the instance that made it).
 * `null` remembers "no tenant here" (for host names, which anyone can send).
 */
export class TenantCache {
  private readonly entries: ExpiringCache<ResolvedTenant | null>;

  constructor(
    private readonly ttlMs = 5_000,
    maxEntries = 10_000,
  ) {
    this.entries = new ExpiringCache(maxEntries);
  }

  /** The cached answer; undefined when there is none. */
  get(key: string): ResolvedTenant | null | undefined {
    return this.entries.get(key);
  }

  /** Drops every entry of a tenant (by id, slug or host name) after a change. */
  forget(tenant: { id: string; slug: string }): void {
    this.entries.delete(tenant.id.toLowerCase());
    this.entries.delete(tenant.slug.toLowerCase());
    this.entries.deleteWhere((cached) => cached?.id === tenant.id);
  }

  delete(key: string): void {
    this.entries.delete(key);
  }

  set(key: string, tenant: ResolvedTenant | null): void {
    this.entries.set(key, tenant, Date.now() + this.ttlMs);
  }
}
