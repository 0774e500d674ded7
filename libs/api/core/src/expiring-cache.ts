import { LRUCache } from 'lru-cache';

/**
 * Per-instance memory for answers that every request would otherwise recompute,
 * on lru-cache: each entry is kept until its own time, and when the cache is
 * full the least recently used entry makes room. Never a source of truth.
 */
export class ExpiringCache<V> {
  // Boxed: lru-cache holds no null or undefined, and a remembered "none" is an answer too.
  private readonly entries: LRUCache<string, { value: V }>;

  constructor(maxEntries: number) {
    // Expiries are instants on the wall clock (a token's `exp`, another instance's `until`), so entries age by it too.
    this.entries = new LRUCache({ max: maxEntries, perf: { now: () => Date.now() }, ttlResolution: 0 });
  }

  /** The value stored for `key`, unless it expired (or never was). */
  get(key: string): V | undefined {
    return this.entries.get(key)?.value;
  }

  /** Keeps `value` until `expires` (ms since the epoch). */
  set(key: string, value: V, expires: number): void {
    // Gone at `expires` itself: lru-cache answers through its ttl's last millisecond.
    const ttl = expires - Date.now() - 1;
    if (ttl > 0) this.entries.set(key, { value }, { ttl });
    else this.entries.delete(key);
  }

  delete(key: string): void {
    this.entries.delete(key);
  }

  clear(): void {
    this.entries.clear();
  }

  /** Drops every entry whose value matches. */
  deleteWhere(matches: (value: V) => boolean): void {
    for (const [key, entry] of this.entries.entries()) if (matches(entry.value)) this.entries.delete(key);
  }
}
