import { type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { type ApiKeyCaller, type AuthUser, IS_PUBLIC } from '@tenantry/api-core';
import { AppAuthGuard } from './app-passport.js';

/**
 * Global guard: every route needs a valid credential unless marked @Public():
 * a live API key (ApiKeyStrategy, which sets `req.apiKey`) or an unrevoked
 * access token (JwtStrategy: the person goes to `req.user`). Either must
 * belong to the tenant the request resolved to (a credential of tenant A
 * never works on tenant B).
 */
@Injectable()
export class AuthenticationGuard extends AppAuthGuard(['api-key', 'jwt']) {
  constructor(private readonly reflector: Reflector) {
    super();
  }

  override canActivate(context: ExecutionContext): boolean | Promise<boolean> {
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [context.getHandler(), context.getClass()])) return true;
    return super.canActivate(context) as Promise<boolean>;
  }

  /** `req.user` is a person only: a key's caller is `req.apiKey`. */
  override handleRequest<T>(error: unknown, principal: unknown, info: unknown, context: ExecutionContext): T {
    const caller = super.handleRequest<AuthUser | ApiKeyCaller>(error, principal, info, context);
    return ('userId' in caller ? caller : undefined) as T;
  }
}
