import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AppError, REQUIRED_PERMISSION } from '@tenantry/api-core';
import { can, ErrorCode, type Permission, PERMISSIONS } from '@tenantry/contracts';
import type { AuthUser } from './auth-user.js';

/** Refuses callers whose role in the resolved tenant lacks the route's @RequirePermission(). */
@Injectable()
export class PermissionGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const permission = this.reflector.getAllAndOverride<Permission | undefined>(REQUIRED_PERMISSION, [context.getHandler(), context.getClass()]);
    if (!permission) return true;
    const user = context.switchToHttp().getRequest<{ user?: AuthUser }>().user;
    if (!can(user?.role, permission)) throw new AppError(ErrorCode.FORBIDDEN, { permission, allowed: PERMISSIONS[permission] });
    return true;
  }
}
