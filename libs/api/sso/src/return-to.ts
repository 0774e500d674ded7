const BASE = 'http://return-to.invalid';

/**
 * `returnTo` as a path of this site, or null when it could lead elsewhere
 * (another origin, backslashes, control characters). Empty means `/`. The
 * normalized result is what is checked and returned: `/..//evil.test`
 * normalizes to `//evil.test`, which a browser follows to another host.
 */
export function safeReturnTo(value: unknown): string | null {
  if (value === undefined || value === null || value === '') return '/';
  if (typeof value !== 'string' || value.length > 2000) return null;
  if (!value.startsWith('/') || /[\\\u0000-\u001f\u007f]/.test(value)) return null;
  const url = new URL(value, BASE);
  if (url.origin !== BASE || !isOwnPath(url.pathname)) return null;
  return `${url.pathname}${url.search}${url.hash}`;
}

/** One leading slash, and no slash or backslash a router could decode into a second one. */
const isOwnPath = (pathname: string) =>
  pathname.startsWith('/') && !pathname.startsWith('//') && !/%2f|%5c/i.test(pathname);
