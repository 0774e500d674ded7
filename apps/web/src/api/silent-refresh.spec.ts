import type { AuthTokenResponse } from '@tenantry/contracts';
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { session } from '../features/auth/session';
import { api, ApiError, refreshRefusal, refreshSession } from './client';

const signedIn = (accessToken: string) =>
  ({
    accessToken,
    expiresIn: 900,
    tenant: null,
    role: null,
    user: { id: 'u', email: 'u@x.test', displayName: 'U', platformRole: 'none' },
  }) as AuthTokenResponse;
const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
const unauthenticated = () => json(401, { error: { code: 'UNAUTHENTICATED', message: 'Sign in to continue.' } });

/** A fake API: /auth/refresh answers `refresh()`; other paths accept only the token "fresh". */
function fakeApi(refresh: () => Response) {
  const calls: string[] = [];
  vi.stubGlobal('fetch', async (url: string, init: RequestInit) => {
    const auth = (init.headers as Record<string, string>).Authorization;
    calls.push(`${url} ${auth ?? ''}`.trim());
    if (url === '/api/auth/refresh') return refresh();
    return auth === 'Bearer fresh' ? json(200, { ok: true }) : unauthenticated();
  });
  return calls;
}

beforeEach(() => {
  const store = new Map<string, string>();
  vi.stubGlobal('localStorage', {
    getItem: (k: string) => store.get(k) ?? null,
    setItem: (k: string, v: string) => store.set(k, v),
    removeItem: (k: string) => store.delete(k),
  });
  session.set(signedIn('stale'));
});
afterEach(() => {
  vi.unstubAllGlobals();
  session.clear();
});

it('refreshes an expired access token once and retries the request with the new one', async () => {
  const calls = fakeApi(() => json(200, signedIn('fresh')));
  expect(await api('/contacts')).toEqual({ ok: true });
  expect(calls).toEqual(['/api/contacts Bearer stale', '/api/auth/refresh Bearer stale', '/api/contacts Bearer fresh']);
  expect(session.get()?.accessToken).toBe('fresh');
});

it('shares one refresh between requests that fail together', async () => {
  const calls = fakeApi(() => json(200, signedIn('fresh')));
  await Promise.all([api('/contacts'), api('/members'), api('/audit-events')]);
  expect(calls.filter((c) => c.startsWith('/api/auth/refresh'))).toHaveLength(1);
});

it('signs out and reports the error when the session is over', async () => {
  const calls = fakeApi(() =>
    json(401, { error: { code: 'REFRESH_TOKEN_INVALID', message: 'Your session has ended; sign in again.' } }),
  );
  await expect(api('/contacts')).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
  expect(session.get()).toBeNull();
  expect(calls).toHaveLength(2); // no retry loop
});

it('does not refresh for other errors', async () => {
  vi.stubGlobal('fetch', async () =>
    json(403, { error: { code: 'FORBIDDEN', message: 'Your role does not allow this.' } }),
  );
  await expect(api('/members')).rejects.toBeInstanceOf(ApiError);
  expect(session.get()?.accessToken).toBe('stale');
});

it('never refreshes an impersonation: a 401 ends it and goes back to the console', async () => {
  const assign = vi.fn();
  vi.stubGlobal('location', { assign });
  localStorage.setItem('tenantry.tenant', 'acme');
  session.set({
    ...signedIn('impersonating'),
    impersonation: {
      id: 'i',
      actor: { id: 'a', email: 'op@x.test' },
      reason: 'Ticket #1',
      expiresAt: new Date().toISOString(),
    },
  });
  const calls = fakeApi(() => json(200, signedIn('fresh')));
  await expect(api('/contacts')).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
  expect(calls).toEqual(['/api/contacts Bearer impersonating']); // no refresh
  expect(session.get()).toBeNull();
  expect(localStorage.getItem('tenantry.tenant')).toBeNull();
  expect(assign).toHaveBeenCalledWith('/');
});

it("remembers why a refresh gave no session (another tenant's SSO session) for the sign-in page, until one succeeds", async () => {
  fakeApi(() => json(403, { error: { code: 'SSO_SESSION_TENANT_BOUND', message: 'Sign in to this workspace.' } }));
  expect(await refreshSession()).toBe(false);
  expect(refreshRefusal()?.code).toBe('SSO_SESSION_TENANT_BOUND');
  fakeApi(() => json(200, signedIn('fresh')));
  expect(await refreshSession()).toBe(true);
  expect(refreshRefusal()).toBeNull();
});
