import { createHash } from 'node:crypto';

/** How every secret we hand out (refresh tokens, link tokens, API keys) is stored: its SHA-256, never the secret. */
export function hashToken(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}
