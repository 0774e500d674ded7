import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AppError, IS_PUBLIC, RequestContext } from '@tenantry/api-core';
import { ErrorCode } from '@tenantry/contracts';
import type { Request } from 'express';
import { AccessTokenService } from './access-token.service.js';
import type { AuthUser } from './auth-user.js';
import { TokenRevocations } from './token-revocations.js';

/**
 * Global guard: every route needs a valid, unrevoked access token unless
 * marked @Public(), and the token must belong to the tenant the request
 * resolved to (a token for tenant A never works on tenant B).
 */
@Injectable()
export class AccessTokenGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: AccessTokenService,
    private readonly revocations: TokenRevocations,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [context.getHandler(), context.getClass()])) return true;
    const req = context.switchToHttp().getRequest<Request & { user?: AuthUser }>();
    const header = req.headers.authorization;
    const token = header?.startsWith('Bearer ') ? await this.tokens.verify(header.slice(7)) : null;
    if (!token || !(await this.revocations.isCurrent(token))) throw new AppError(ErrorCode.UNAUTHENTICATED);
    const state = RequestContext.current();
    if ((state?.tenant?.id ?? null) !== (token.tid ?? null)) throw new AppError(ErrorCode.TENANT_MISMATCH);
    req.user = {
      userId: token.sub,
      sessionId: token.sid,
      tenantId: token.tid ?? null,
      role: token.role ?? null,
      platformRole: token.plat ?? 'none',
    };
    if (state) state.userId = token.sub;
    return true;
  }
}
