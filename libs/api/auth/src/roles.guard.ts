import { type CanActivate, type ExecutionContext, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AppError } from '@tenantry/api-core';
import { ErrorCode, type TenantRole } from '@tenantry/contracts';
import type { AuthUser } from './auth-user.js';

const ROLES = 'tenantry:roles';

/** The tenant roles allowed on a route; pass a row of the permission matrix, e.g. `@Roles(...PERMISSIONS['contacts.write'])`. */
export const Roles = (...roles: readonly TenantRole[]) => SetMetadata(ROLES, roles);

/** Refuses callers whose role in the resolved tenant is not listed by @Roles(). */
@Injectable()
export class RolesGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const roles = this.reflector.getAllAndOverride<TenantRole[] | undefined>(ROLES, [context.getHandler(), context.getClass()]);
    if (!roles) return true;
    const user = context.switchToHttp().getRequest<{ user?: AuthUser }>().user;
    if (!user?.role || !roles.includes(user.role)) throw new AppError(ErrorCode.FORBIDDEN, { allowed: roles });
    return true;
  }
}
