import { type AuthTokenResponse, ERRORS, type ErrorBody, type ErrorCode } from '@tenantry/contracts';
import { session } from '../features/auth/session';
import { pickedTenant } from '../features/tenant/picked-tenant';

/** An API error, carrying the stable code the UI switches on. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }

  /** Field-level messages of a VALIDATION_FAILED error, by field name. */
  get fieldErrors(): Record<string, string> {
    const fields = (this.details?.fields ?? []) as { field: string; messages: string[] }[];
    return Object.fromEntries(fields.map((f) => [f.field, f.messages.join('; ')]));
  }
}

interface RequestInit {
  method?: string;
  body?: unknown;
}

/** Accept, the access token, and (without a tenant subdomain) the picked tenant. */
function baseHeaders(): Record<string, string> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  const token = session.get()?.accessToken;
  if (token) headers.Authorization = `Bearer ${token}`;
  const tenant = pickedTenant.get();
  if (tenant) headers['X-Tenant'] = tenant;
  return headers;
}

/** The event every 503 MAINTENANCE raises: the app then shows its maintenance page. */
export const MAINTENANCE_EVENT = 'tenantry:maintenance';

async function errorOf(res: Response): Promise<ApiError> {
  const error = ((await res.json().catch(() => null)) as ErrorBody | null)?.error;
  if (error?.code === 'MAINTENANCE') window.dispatchEvent(new Event(MAINTENANCE_EVENT));
  return new ApiError(res.status, error?.code ?? 'INTERNAL', error?.message ?? ERRORS.INTERNAL.message, error?.details);
}

async function request<T>(path: string, init: RequestInit): Promise<T> {
  const headers = baseHeaders();
  // A file upload goes as multipart (the browser sets its boundary); everything else as JSON.
  const form = init.body instanceof FormData;
  if (init.body !== undefined && !form) headers['Content-Type'] = 'application/json';
  const res = await fetch(`/api${path}`, {
    method: init.method ?? 'GET',
    headers,
    credentials: 'same-origin',
    body: init.body === undefined ? undefined : form ? (init.body as FormData) : JSON.stringify(init.body),
  });
  if (res.status === 204) return undefined as T;
  if (!res.ok) throw await errorOf(res);
  return (await res.json().catch(() => null)) as T;
}

/**
 * A public GET revalidated with the ETag of the copy the caller kept: null
 * when that copy is current (304), else the new body and its ETag.
 */
export async function getIfChanged<T>(
  path: string,
  etag: string | null,
): Promise<{ body: T; etag: string | null } | null> {
  const headers = baseHeaders();
  if (etag) headers['If-None-Match'] = etag;
  // no-store: the browser's own cache stays out of it, so a 304 reaches us as such.
  const res = await fetch(`/api${path}`, { headers, credentials: 'same-origin', cache: 'no-store' });
  if (res.status === 304) return null;
  if (!res.ok) throw await errorOf(res);
  return { body: (await res.json()) as T, etag: res.headers.get('ETag') };
}

let refreshing: Promise<boolean> | null = null;
let refusal: ApiError | null = null;

/**
 * Why the last refresh gave no session here, when the server said (say
 * SSO_SESSION_TENANT_BOUND: the session is another tenant's): the sign-in page explains it.
 */
export function refreshRefusal(): ApiError | null {
  return refusal;
}

/**
 * Exchanges the refresh cookie for a new access token (one exchange at a time
 * however many requests ask). False, and signed out, when the session is over.
 */
export function refreshSession(): Promise<boolean> {
  refreshing ??= request<AuthTokenResponse>('/auth/refresh', { method: 'POST' })
    .then((result) => {
      refusal = null;
      session.set(result);
      return true;
    })
    .catch((error: unknown) => {
      refusal = error instanceof ApiError ? error : null;
      session.clear();
      return false;
    })
    .finally(() => {
      refreshing = null;
    });
  return refreshing;
}

/**
 * The one API client: JSON in and out, the access token and (without a tenant
 * subdomain) the picked tenant attached, errors turned into ApiError. An
 * expired or revoked access token is refreshed silently, once.
 */
export async function api<T>(path: string, init: RequestInit = {}): Promise<T> {
  const current = session.get();
  try {
    return await request<T>(path, init);
  } catch (error) {
    if (!(error instanceof ApiError) || error.code !== 'UNAUTHENTICATED' || !current) throw error;
    if (current.impersonation) {
      // An impersonation is never refreshed: when it ends or expires, back to the console.
      pickedTenant.clear();
      session.clear();
      location.assign('/');
      throw error;
    }
    if (!(await refreshSession())) throw error;
    return request<T>(path, init);
  }
}
