import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import {
  AppError,
  type AuthenticatedRequest,
  IMPERSONATION_RULE,
  type ImpersonationRule,
  impersonationRule,
  PLATFORM_ONLY,
  RequestContext,
  REQUIRED_PERMISSION,
} from '@tenantry/api-core';
import { can, ErrorCode, type Permission, PERMISSIONS } from '@tenantry/contracts';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Checks the route's @RequirePermission(): a person's role in the resolved
 * tenant must be in the permission's row of the matrix; an API key must carry
 * the permission as a scope. Routes without a permission are for people only.
 * Also: @PlatformOnly routes need a platform super admin, and
 * A super admin acting as someone may do only what the route's impersonation
 * rule allows (@WhileImpersonating; reads by default, no changes).
 */
@Injectable()
export class PermissionGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const targets = [context.getHandler(), context.getClass()];
    const permission = this.reflector.getAllAndOverride<Permission | undefined>(REQUIRED_PERMISSION, targets);
    const req = context.switchToHttp().getRequest<AuthenticatedRequest & { method: string }>();
    if (
      req.user?.impersonatorId &&
      impersonationRule(
        this.reflector.getAllAndOverride<ImpersonationRule | undefined>(IMPERSONATION_RULE, targets),
        req.method,
      ) === 'deny'
    ) {
      throw new AppError(ErrorCode.IMPERSONATION_FORBIDDEN);
    }
    if (this.reflector.getAllAndOverride<boolean>(PLATFORM_ONLY, targets)) {
      if (req.user?.platformRole !== 'super_admin' || req.user.tenantId !== null || req.user.impersonatorId) {
        throw new AppError(ErrorCode.FORBIDDEN, {
          reason: 'platform console only (super admins signed in without a tenant)',
        });
      }
      return true;
    }
    if (req.apiKey) {
      if (!permission) throw new AppError(ErrorCode.FORBIDDEN, { reason: 'this route is for people, not API keys' });
      if (!(req.apiKey.scopes as Permission[]).includes(permission))
        throw new AppError(ErrorCode.FORBIDDEN, { permission, reason: 'the API key lacks this scope' });
      return this.writable(req);
    }
    if (!permission) return true;
    if (!can(req.user?.role, permission))
      throw new AppError(ErrorCode.FORBIDDEN, { permission, allowed: PERMISSIONS[permission] });
    return this.writable(req);
  }

  /**
   * An expired or suspended license makes the tenant read-only: its data
   * (routes governed by a permission) can be read, not changed. Personal
   * routes (sign-in, sessions, profile) stay open, so people can still get in.
   */
  private writable(req: { method: string }): true {
    const status = RequestContext.current()?.tenant?.licenseStatus;
    if ((status === 'expired' || status === 'suspended') && !SAFE_METHODS.has(req.method))
      throw new AppError(ErrorCode.LICENSE_INACTIVE, { status });
    return true;
  }
}
