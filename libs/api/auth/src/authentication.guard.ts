import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiKeysService } from '@tenantry/api-api-keys';
import { apiKeyOf, AppError, type AuthenticatedRequest, IS_PUBLIC, RequestContext, tenantOfApiKey } from '@tenantry/api-core';
import { ErrorCode } from '@tenantry/contracts';
import type { Request } from 'express';
import { AccessTokenService } from './access-token.service.js';
import { TokenRevocations } from './token-revocations.js';

/**
 * Global guard: every route needs a valid credential unless marked @Public():
 * an unrevoked access token (a person) or a live API key. Either must belong
 * to the tenant the request resolved to (a credential of tenant A never works
 * on tenant B).
 */
@Injectable()
export class AuthenticationGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: AccessTokenService,
    private readonly revocations: TokenRevocations,
    private readonly apiKeys: ApiKeysService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [context.getHandler(), context.getClass()])) return true;
    const req = context.switchToHttp().getRequest<Request & AuthenticatedRequest>();
    const state = RequestContext.current();
    const resolvedTenant = state?.tenant?.id ?? null;

    const key = apiKeyOf(req.headers);
    if (key) {
      // The resolver took the tenant from the key unless the address named another one.
      if (tenantOfApiKey(key) !== resolvedTenant) throw new AppError(ErrorCode.TENANT_MISMATCH);
      const caller = await this.apiKeys.authenticate(key);
      if (!caller) throw new AppError(ErrorCode.API_KEY_INVALID);
      req.apiKey = caller;
      if (state) state.actorLabel = `API key ${caller.name} (${caller.prefix})`;
      return true;
    }

    const header = req.headers.authorization;
    const token = header?.startsWith('Bearer ') ? await this.tokens.verify(header.slice(7)) : null;
    if (!token || !(await this.revocations.isCurrent(token))) throw new AppError(ErrorCode.UNAUTHENTICATED);
    if (resolvedTenant !== (token.tid ?? null)) throw new AppError(ErrorCode.TENANT_MISMATCH);
    req.user = {
      userId: token.sub,
      sessionId: token.sid,
      tenantId: token.tid ?? null,
      role: token.role ?? null,
      platformRole: token.plat ?? 'none',
      impersonatorId: token.act?.sub,
    };
    if (state) {
      state.userId = token.sub;
      state.impersonatorId = token.act?.sub;
      state.platformActor = token.plat === 'super_admin' && !token.tid;
    }
    return true;
  }
}
