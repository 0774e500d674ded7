import { Controller, Get, Post, Query, Redirect, Req, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { RefreshCookie } from '@tenantry/api-auth';
import { AppError, Public, UuidParam } from '@tenantry/api-core';
import { TenantDb } from '@tenantry/api-tenancy';
import type { SsoDiscovery } from '@tenantry/contracts';
import type { Request, Response } from 'express';
import { SsoDiscoverQuery } from './dto/sso-discover.query.js';
import { SsoLoginService } from './sso-login.service.js';

/** Signing in through a tenant's identity provider: find the connection, go to the IdP, come back to the ACS. */
@ApiTags('sso')
@Controller('sso')
export class SsoLoginController {
  constructor(
    private readonly login: SsoLoginService,
    private readonly cookie: RefreshCookie,
    private readonly db: TenantDb,
  ) {}

  /** "Continue with SSO": the connection that serves this email's domain. */
  @Public()
  @Get('discover')
  discover(@Query() query: SsoDiscoverQuery): Promise<SsoDiscovery> {
    return this.login.discover(query.email);
  }

  /** SP-initiated sign-in: redirects to the IdP; `returnTo` (a path of this site) is where the browser lands afterwards. */
  @Public()
  @Get(':id/login')
  @Redirect()
  async start(@UuidParam() id: string, @Query('returnTo') returnTo: unknown) {
    try {
      return { url: await this.login.start(id, returnTo), statusCode: 302 };
    } catch (error) {
      return this.errorPage(error);
    }
  }

  /** Assertion consumer service (HTTP-POST binding): signs the person in and sends the browser to `returnTo`. */
  @Public()
  @Post(':id/acs')
  @Redirect()
  async acs(@UuidParam() id: string, @Req() req: Request, @Res({ passthrough: true }) res: Response) {
    try {
      const { signedIn, returnTo } = await this.login.complete(id, req, res);
      this.cookie.issue(res, signedIn);
      return { url: returnTo, statusCode: 303 };
    } catch (error) {
      return this.errorPage(error);
    }
  }

  /**
   * A browser answer to a refused request: the SPA's SSO error page says what
   * went wrong in plain words (the audit log has the technical reason). It is
   * still a failure: the request's transaction rolls back (what a refusal keeps
   * was written in a transaction of its own).
   */
  private async errorPage(error: unknown) {
    if (!(error instanceof AppError)) throw error;
    await this.db.discard();
    return { url: `/sso/error?code=${encodeURIComponent(error.code)}`, statusCode: 303 };
  }
}
