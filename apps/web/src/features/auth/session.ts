import type { AuthTokenResponse } from '@tenantry/contracts';

const listeners = new Set<() => void>();
// In memory only: no script-readable storage holds a token. A reload restores
// the session from the httpOnly refresh cookie (see refreshSession).
let current: AuthTokenResponse | null = null;

/** The signed-in session of this tab. */
export const session = {
  get(): AuthTokenResponse | null {
    return current;
  },
  set(value: AuthTokenResponse): void {
    current = value;
    listeners.forEach((l) => l());
  },
  clear(): void {
    if (current === null) return;
    current = null;
    listeners.forEach((l) => l());
  },
  subscribe(listener: () => void): () => void {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
};
