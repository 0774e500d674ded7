import type { ResolvedTenant } from '@tenantry/api-core';

/**
 * A few seconds of memory for tenant look-ups, which every request makes.
 * Not a source of truth: an entry lives `ttlMs` at most, so a suspension takes
 * effect everywhere within that time (and at once on the instance that made it).
 */
export class TenantCache {
  private readonly entries = new Map<string, { tenant: ResolvedTenant; expires: number }>();

  constructor(
    private readonly ttlMs = 5_000,
    private readonly maxEntries = 10_000,
  ) {}

  get(key: string): ResolvedTenant | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expires < Date.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.tenant;
  }

  /** Drops a tenant's entries (by id and slug) after a change this instance made. */
  forget(tenant: { id: string; slug: string }): void {
    this.entries.delete(tenant.id.toLowerCase());
    this.entries.delete(tenant.slug.toLowerCase());
  }

  set(key: string, tenant: ResolvedTenant): void {
    if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
    this.entries.set(key, { tenant, expires: Date.now() + this.ttlMs });
  }
}
