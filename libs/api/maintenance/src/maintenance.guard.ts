import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AVAILABLE_IN_MAINTENANCE, type AuthenticatedRequest } from '@tenantry/api-core';
import { MaintenanceService } from './maintenance.service.js';

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
    if (this.reflector.getAllAndOverride<boolean>(AVAILABLE_IN_MAINTENANCE, [context.getHandler(), context.getClass()]))
      return true;
    const { user } = context.switchToHttp().getRequest<AuthenticatedRequest>();
    if (user?.platformRole === 'super_admin' || user?.impersonatorId) return true;
    await this.maintenance.refuseIfActive();
    return true;
  }
}
