import { type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import { AppError, IS_PUBLIC, RequestContext } from '@tenantry/api-core';
import { ErrorCode } from '@tenantry/contracts';
import type { AuthUser } from './auth-user.js';

/**
 * Global guard: every route needs a valid access token unless marked @Public(),
 * and the token must belong to the tenant the request resolved to.
 */
@Injectable()
export class JwtAuthGuard extends AuthGuard('jwt') {
  constructor(private readonly reflector: Reflector) {
    super();
  }

  override canActivate(context: ExecutionContext) {
    const isPublic = this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [context.getHandler(), context.getClass()]);
    return isPublic ? true : super.canActivate(context);
  }

  override handleRequest<T = AuthUser>(error: unknown, user: T | false): T {
    if (error || !user) throw new AppError(ErrorCode.UNAUTHENTICATED);
    const auth = user as unknown as AuthUser;
    const state = RequestContext.current();
    if ((state?.tenant?.id ?? null) !== auth.tenantId) throw new AppError(ErrorCode.TENANT_MISMATCH);
    if (state) state.userId = auth.userId;
    return user;
  }
}
