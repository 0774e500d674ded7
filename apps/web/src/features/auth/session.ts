import type { AuthTokenResponse } from '@tenantry/contracts';

const KEY = 'tenantry.session';
const listeners = new Set<() => void>();
// useSyncExternalStore needs the same object back while nothing changed.
let cache: { raw: string | null; value: AuthTokenResponse | null } = { raw: null, value: null };

/** The signed-in session of this browser tab's origin (one tenant per origin or picked tenant). */
export const session = {
  get(): AuthTokenResponse | null {
    const raw = sessionStorage.getItem(KEY);
    if (raw !== cache.raw) cache = { raw, value: raw ? (JSON.parse(raw) as AuthTokenResponse) : null };
    return cache.value;
  },
  set(value: AuthTokenResponse): void {
    sessionStorage.setItem(KEY, JSON.stringify(value));
    listeners.forEach((l) => l());
  },
  clear(): void {
    if (sessionStorage.getItem(KEY) === null) return;
    sessionStorage.removeItem(KEY);
    listeners.forEach((l) => l());
  },
  subscribe(listener: () => void): () => void {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
};
