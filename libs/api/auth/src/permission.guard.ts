import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AppError, type AuthenticatedRequest, REQUIRED_PERMISSION } from '@tenantry/api-core';
import { can, ErrorCode, type Permission, PERMISSIONS } from '@tenantry/contracts';

/**
 * Checks the route's @RequirePermission(): a person's role in the resolved
 * tenant must be in the permission's row of the matrix; an API key must carry
 * the permission as a scope. Routes without a permission are for people only.
 */
@Injectable()
export class PermissionGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const permission = this.reflector.getAllAndOverride<Permission | undefined>(REQUIRED_PERMISSION, [context.getHandler(), context.getClass()]);
    const req = context.switchToHttp().getRequest<AuthenticatedRequest>();
    if (req.apiKey) {
      if (!permission) throw new AppError(ErrorCode.FORBIDDEN, { reason: 'this route is for people, not API keys' });
      if (!(req.apiKey.scopes as Permission[]).includes(permission)) throw new AppError(ErrorCode.FORBIDDEN, { permission, reason: 'the API key lacks this scope' });
      return true;
    }
    if (!permission) return true;
    if (!can(req.user?.role, permission)) throw new AppError(ErrorCode.FORBIDDEN, { permission, allowed: PERMISSIONS[permission] });
    return true;
  }
}
