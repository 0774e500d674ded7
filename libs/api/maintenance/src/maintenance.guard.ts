import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AVAILABLE_IN_MAINTENANCE, type AuthenticatedRequest } from '@tenantry/api-core';
import type { Request } from 'express';
import { MaintenanceService } from './maintenance.service.js';

const availableInMaintenance = (reflector: Reflector, context: ExecutionContext) =>
  reflector.getAllAndOverride<boolean>(AVAILABLE_IN_MAINTENANCE, [context.getHandler(), context.getClass()]);

/**
 * Global guard (after authentication, which tells who calls): during
 * maintenance every route answers 503 MAINTENANCE, except for super admins
 * (also while impersonating) and routes marked @AvailableInMaintenance.
 */
@Injectable()
export class MaintenanceGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly maintenance: MaintenanceService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (availableInMaintenance(this.reflector, context)) return true;
    const { user } = context.switchToHttp().getRequest<AuthenticatedRequest>();
    if (user?.platformRole === 'super_admin' || user?.impersonatorId) return true;
    await this.maintenance.refuseIfActive();
    return true;
  }
}

/**
 * Global guard before authentication: during maintenance, a call that presents
 * no credential (no bearer token, no API key) gets 503 MAINTENANCE rather than
 * 401, since no anonymous caller can be the super admin the platform stays
 * open for. Calls with a credential meet MaintenanceGuard once authenticated.
 */
@Injectable()
export class AnonymousMaintenanceGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly maintenance: MaintenanceService,
  ) {}

  canActivate(context: ExecutionContext): boolean | Promise<boolean> {
    const { headers } = context.switchToHttp().getRequest<Request>();
    if (headers.authorization || headers['x-api-key'] || availableInMaintenance(this.reflector, context)) return true;
    return this.maintenance.refuseIfActive().then(() => true);
  }
}
