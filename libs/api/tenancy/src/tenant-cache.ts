import type { ResolvedTenant } from '@tenantry/api-core';

/**
 * A few seconds of memory for tenant look-ups, which every request makes.
 * Not a source of truth: an entry lives `ttlMs` at most, so a suspension takes
 * effect everywhere within that time (and at once on the instance that made it).
 * `null` remembers "no tenant here" (for host names, which anyone can send).
 */
export class TenantCache {
  private readonly entries = new Map<string, { tenant: ResolvedTenant | null; expires: number }>();

  constructor(
    private readonly ttlMs = 5_000,
    private readonly maxEntries = 10_000,
  ) {}

  /** The cached answer; undefined when there is none. */
  get(key: string): ResolvedTenant | null | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expires < Date.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.tenant;
  }

  /** Drops every entry of a tenant (by id, slug or host name) after a change. */
  forget(tenant: { id: string; slug: string }): void {
    this.entries.delete(tenant.id.toLowerCase());
    this.entries.delete(tenant.slug.toLowerCase());
    for (const [key, entry] of this.entries) if (entry.tenant?.id === tenant.id) this.entries.delete(key);
  }

  delete(key: string): void {
    this.entries.delete(key);
  }

  set(key: string, tenant: ResolvedTenant | null): void {
    if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
    this.entries.set(key, { tenant, expires: Date.now() + this.ttlMs });
  }
}
