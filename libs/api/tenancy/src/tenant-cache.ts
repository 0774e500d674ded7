import { ExpiringCache, type ResolvedTenant } from '@tenantry/api-core';

/** How long an entry answers while this instance hears every change to tenants. */
export const TENANT_REMEMBERED_MS = 60_000;
/** How long it answers otherwise (Redis unreachable or not yet caught up): a missed change holds no longer than this. */
export const TENANT_UNHEARD_MS = 5_000;

/**
 * Memory for tenant look-ups, which every request makes. Not a source of truth:
 * every change to a tenant is announced (ChangeBus) and drops its entries on
 * every instance. While this instance hears every announcement an entry answers
 * for TENANT_REMEMBERED_MS; otherwise only for TENANT_UNHEARD_MS, so a change
 * takes effect everywhere within that time (and at once on the instance that
 * made it). `null` remembers "no tenant here" (for host names, which anyone can send).
 */
export class TenantCache {
  private readonly entries: ExpiringCache<{ tenant: ResolvedTenant | null; at: number }>;
  /** Counts forgets: an answer read before one of them may be stale, so it is not kept. */
  private forgets = 0;

  constructor(
    private readonly hearsEveryChange: () => boolean = () => false,
    maxEntries = 10_000,
  ) {
    this.entries = new ExpiringCache(maxEntries);
  }

  /** The cached answer; undefined when there is none. */
  get(key: string): ResolvedTenant | null | undefined {
    const entry = this.entries.get(key);
    if (!entry || (Date.now() - entry.at > TENANT_UNHEARD_MS && !this.hearsEveryChange())) return undefined;
    return entry.tenant;
  }

  /** A mark to pass to `set`: taken before reading the database. */
  mark(): number {
    return this.forgets;
  }

  /** Keeps an answer read after `mark`, unless a change was heard meanwhile. */
  set(key: string, tenant: ResolvedTenant | null, mark: number): void {
    if (mark !== this.forgets) return;
    const at = Date.now();
    this.entries.set(key, { tenant, at }, at + TENANT_REMEMBERED_MS);
  }

  /** Drops every entry of a tenant (by id, slug or host name) after a change. */
  forget(tenant: { id: string; slug: string }): void {
    this.forgets++;
    this.entries.delete(tenant.id.toLowerCase());
    this.entries.delete(tenant.slug.toLowerCase());
    this.entries.deleteWhere((cached) => cached.tenant?.id === tenant.id);
  }

  delete(key: string): void {
    this.forgets++;
    this.entries.delete(key);
  }

  /** Drops everything: changes may have been missed. */
  clear(): void {
    this.forgets++;
    this.entries.clear();
  }
}
