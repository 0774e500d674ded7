import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AppError, type AuthenticatedRequest, REQUIRED_FEATURE, RequestContext } from '@tenantry/api-core';
import { ErrorCode, type FeatureCode } from '@tenantry/contracts';
import { FeatureFlags } from './feature-flags.service.js';

/**
 * After authentication: a route marked @RequireFeature answers 403
 * FEATURE_DISABLED (with the feature) for tenants without it, and any request
 * made with an API key needs `api_access`.
 */
@Injectable()
export class FeatureGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly flags: FeatureFlags,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const feature = this.reflector.getAllAndOverride<FeatureCode | undefined>(REQUIRED_FEATURE, [
      context.getHandler(),
      context.getClass(),
    ]);
    const viaKey = !!context.switchToHttp().getRequest<AuthenticatedRequest>().apiKey;
    if (!feature && !viaKey) return true;
    if (!RequestContext.current()?.tenant) throw new AppError(ErrorCode.TENANT_REQUIRED);
    if (viaKey) await this.flags.assertEnabled('api_access');
    if (feature) await this.flags.assertEnabled(feature);
    return true;
  }
}
