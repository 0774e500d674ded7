import type { CookieOptions, Request, Response } from 'express';

const NAME = 'tenantry_refresh';

/**
 * The refresh token's cookie: httpOnly (no script reads it), SameSite=Strict
 * (no other site sends it), sent only to /api/auth, Secure outside
 * development. Host-only, so each tenant address keeps its own session.
 */
export class RefreshCookie {
  constructor(private readonly secure: boolean) {}

  read(req: Request): string | undefined {
    const value = (req.cookies as Record<string, unknown> | undefined)?.[NAME];
    return typeof value === 'string' && value.length > 0 && value.length <= 100 ? value : undefined;
  }

  set(res: Response, token: string, expires: Date): void {
    res.cookie(NAME, token, { ...this.options(), expires });
  }

  clear(res: Response): void {
    res.clearCookie(NAME, this.options());
  }

  private options(): CookieOptions {
    return { httpOnly: true, secure: this.secure, sameSite: 'strict', path: '/api/auth' };
  }
}
