import { Inject, Injectable, type NestMiddleware } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { apiKeyOf, AppError, type AppConfig, RequestContext, tenantOfApiKey } from '@tenantry/api-core';
import { ErrorCode, TENANT_HEADER } from '@tenantry/contracts';
import type { NextFunction, Request, Response } from 'express';
import { TenancyService } from './tenancy.service.js';
import { TenantDb } from './tenant-db.js';

/**
 * The `tid` claim of a bearer token, read without verifying the signature:
 * it only chooses which tenant to resolve. JwtAuthGuard verifies the token and
 * refuses it (TENANT_MISMATCH) when its tenant is not the resolved one.
 */
function tokenTenantId(req: Request): string | undefined {
  const header = req.headers.authorization;
  if (!header?.startsWith('Bearer ')) return undefined;
  try {
    const payload = JSON.parse(Buffer.from(header.split('.')[1] ?? '', 'base64url').toString('utf8')) as {
      tid?: unknown;
    };
    return typeof payload.tid === 'string' ? payload.tid : undefined;
  } catch {
    return undefined; // not a JWT: authentication will refuse it
  }
}

/**
 * Resolves the tenant of a request, first match wins: verified custom domain
 * (Host) → subdomain of the base domain → the tenant an API key names → `tid`
 * claim of the access token → X-Tenant header (slug or id). The guard then
 * checks the credential really belongs to the resolved tenant.
 */
@Injectable()
export class TenantResolverMiddleware implements NestMiddleware {
  private readonly baseSuffix: string;

  constructor(
    private readonly tenancy: TenancyService,
    private readonly db: TenantDb,
    @Inject(ConfigService) config: ConfigService<AppConfig, true>,
  ) {
    this.baseSuffix = `.${config.get('tenancy', { infer: true }).baseDomain}`;
  }

  async use(req: Request, res: Response, next: NextFunction): Promise<void> {
    const state = RequestContext.current();
    // Safety net: a transaction still open when the connection closes is ended.
    // Sent in full (a guard refused the request before the interceptor ran):
    // rolled back. Client gone mid-request (the handler may still be running):
    // abandoned — never a ROLLBACK that the handler's next query would outrun.
    if (state)
      res.on('close', () => void (res.writableFinished ? this.db.finish(state, 'rollback') : this.db.abandon(state)));
    const host = req.hostname?.toLowerCase() ?? '';
    const subdomain = host.endsWith(this.baseSuffix) ? host.slice(0, -this.baseSuffix.length) : undefined;
    const headerValue = req.headers[TENANT_HEADER];
    const header = typeof headerValue === 'string' && headerValue !== '' ? headerValue : undefined;
    const key = apiKeyOf(req.headers);
    const candidate = subdomain ?? (key ? (tenantOfApiKey(key) ?? undefined) : tokenTenantId(req)) ?? header;
    if (!state) return next();
    // An unknown host name is no error (the platform answers on many names): the chain goes on.
    const byHost = subdomain === undefined ? await this.tenancy.findByHost(host) : null;
    if (!byHost && candidate === undefined) return next();

    const tenant = byHost ?? (await this.tenancy.find(candidate!));
    if (!tenant) throw new AppError(ErrorCode.TENANT_NOT_FOUND);
    if (header !== undefined && header.toLowerCase() !== tenant.slug && header.toLowerCase() !== tenant.id) {
      throw new AppError(ErrorCode.TENANT_MISMATCH);
    }
    if (tenant.status === 'suspended' || tenant.status === 'cancelled') {
      throw new AppError(ErrorCode.TENANT_SUSPENDED, { status: tenant.status, reason: tenant.suspendedReason ?? null });
    }
    state.tenant = tenant;
    next();
  }
}
