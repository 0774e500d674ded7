const BASE = 'http://return-to.invalid';

/**
 * `returnTo` as a path of this site, or null when it could lead elsewhere
 * (another origin, `//host`, backslashes, control characters). Empty means `/`.
 */
export function safeReturnTo(value: unknown): string | null {
  if (value === undefined || value === null || value === '') return '/';
  if (typeof value !== 'string' || value.length > 2000) return null;
  if (!value.startsWith('/') || value.startsWith('//') || /[\\\u0000-\u001f]/.test(value)) return null;
  const url = new URL(value, BASE);
  return url.origin === BASE ? `${url.pathname}${url.search}${url.hash}` : null;
}
