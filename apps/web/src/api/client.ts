import { ERRORS, type ErrorBody, type ErrorCode } from '@tenantry/contracts';
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

/**
 * The one API client: JSON in and out, the access token and (without a tenant
 * subdomain) the picked tenant attached, errors turned into ApiError.
 */
export async function api<T>(path: string, init: { method?: string; body?: unknown } = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  const token = session.get()?.accessToken;
  if (token) headers.Authorization = `Bearer ${token}`;
  const tenant = pickedTenant.get();
  if (tenant) headers['X-Tenant'] = tenant;
  if (init.body !== undefined) headers['Content-Type'] = 'application/json';
  const res = await fetch(`/api${path}`, {
    method: init.method ?? 'GET',
    headers,
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  if (res.status === 204) return undefined as T;
  const body: unknown = await res.json().catch(() => null);
  if (!res.ok) {
    const error = (body as ErrorBody | null)?.error;
    const code = error?.code ?? 'INTERNAL';
    if (code === 'UNAUTHENTICATED') session.clear();
    throw new ApiError(res.status, code, error?.message ?? ERRORS.INTERNAL.message, error?.details);
  }
  return body as T;
}
