import { randomBytes } from 'node:crypto';
import { UUID_PATTERN } from '@tenantry/contracts';

const PREFIX = 'tk_live_';
const FORMAT = /^tk_live_([A-Za-z0-9_-]{32})([A-Za-z0-9_-]{22})$/;

/**
 * API keys read `tk_live_<32 random characters><tenant id, 22 characters>`:
 * the key names its tenant, so the tenant is resolved before any lookup
 * (row-level security needs it) and a key shown on another tenant's address
 * is recognised as foreign. Only its SHA-256 hash is stored.
 */
export function newApiKey(tenantId: string): { key: string; prefix: string } {
  const secret = randomBytes(24).toString('base64url');
  const tenant = Buffer.from(tenantId.replace(/-/g, ''), 'hex').toString('base64url');
  const key = `${PREFIX}${secret}${tenant}`;
  return { key, prefix: key.slice(0, PREFIX.length + 6) };
}

/** The tenant id an API key names, or null when the text is not shaped like one of our keys. */
export function tenantOfApiKey(key: string): string | null {
  const match = FORMAT.exec(key);
  if (!match) return null;
  const hex = Buffer.from(match[2], 'base64url').toString('hex');
  const id = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  return UUID_PATTERN.test(id) ? id : null;
}

/** An API key from `Authorization: Bearer tk_…` or `X-API-Key`, if the request carries one. */
export function apiKeyOf(headers: Record<string, string | string[] | undefined>): string | undefined {
  const header = headers['x-api-key'];
  if (typeof header === 'string' && header.startsWith(PREFIX)) return header;
  const auth = headers.authorization;
  if (typeof auth === 'string' && auth.startsWith(`Bearer ${PREFIX}`)) return auth.slice(7);
  return undefined;
}
