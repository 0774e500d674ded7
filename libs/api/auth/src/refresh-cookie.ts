import { Inject, Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { AppConfig } from '@tenantry/api-core';
import type { AuthTokenResponse } from '@tenantry/contracts';
import type { CookieOptions, Request, Response } from 'express';
import type { SignedIn } from './auth.service.js';

const NAME = 'tenantry_refresh';

/**
 * The refresh token's cookie: httpOnly (no script reads it), SameSite=Strict
 * (no other site sends it), sent only to /api/auth, Secure outside
 * development. Host-only, so each tenant address keeps its own session.
 */
@Injectable()
export class RefreshCookie {
  private readonly secure: boolean;

  constructor(@Inject(ConfigService) config: ConfigService<AppConfig, true>) {
    this.secure = config.get('auth', { infer: true }).secureCookies;
  }

  read(req: Request): string | undefined {
    const value = (req.cookies as Record<string, unknown> | undefined)?.[NAME];
    return typeof value === 'string' && value.length > 0 && value.length <= 100 ? value : undefined;
  }

  /** Sets the cookie of a sign-in and returns the answer's body (which never holds the refresh token). */
  issue(res: Response, signedIn: SignedIn): AuthTokenResponse {
    res.cookie(NAME, signedIn.refresh.refreshToken, { ...this.options(), expires: signedIn.refresh.expiresAt });
    return signedIn.body;
  }

  clear(res: Response): void {
    res.clearCookie(NAME, this.options());
  }

  private options(): CookieOptions {
    return { httpOnly: true, secure: this.secure, sameSite: 'strict', path: '/api/auth' };
  }
}
