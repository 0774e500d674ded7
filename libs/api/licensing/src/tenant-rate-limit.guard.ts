import { type CanActivate, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { AppError, type AuthenticatedRequest, REDIS, RequestContext } from '@tenantry/api-core';
import { ErrorCode } from '@tenantry/contracts';
import type { Response } from 'express';
import type { Redis } from 'ioredis';
import { countPlanQuota } from './plan-quota-count.js';
import { PlanCatalog } from './plan-catalog.js';
import { UsageMeter } from './usage-meter.js';

const WINDOW_MS = 60_000;

/**
 * Per-tenant rate limit by plan (requests a minute): one bucket per tenant for
 * people, one per API key for keys, so one tenant (or one busy key) flooding
 * never spends anyone else's allowance. Every answer carries RateLimit-Limit,
 * -Remaining and -Reset; past the limit, 429 RATE_LIMITED with Retry-After.
 * An API-key call is also a unit of the month's `api_calls` (people using the
 * app are not metered): counted in the same Redis round trip, refused or
 * warned about by the UsageMeter, and given back if a later guard refuses the call.
 * (Hand-written: @nestjs/throttler 6 is CommonJS and requires the ESM-only
 * NestJS 12, which our Jest on Node 20 can not load.)
 */
@Injectable()
export class TenantRateLimitGuard implements CanActivate {
  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    private readonly catalog: PlanCatalog,
    private readonly usage: UsageMeter,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const tenant = RequestContext.current()?.tenant;
    if (!tenant) return true;
    const limit = (await this.catalog.find(tenant.plan))?.rateLimitPerMinute ?? null;
    const http = context.switchToHttp();
    const apiKey = http.getRequest<AuthenticatedRequest>().apiKey;
    const apiCall = apiKey ? await this.usage.unit('api_calls') : null;
    if (limit === null && !apiCall) return true;
    const bucket = apiKey ? `rate:${tenant.id}:key:${apiKey.id}` : `rate:${tenant.id}`;
    const counted = await countPlanQuota(this.redis, limit === null ? null : { bucket, windowMs: WINDOW_MS, limit }, apiCall);
    if (limit !== null && counted.rate) {
      const { hits, ttlMs } = counted.rate;
      const reset = Math.max(1, Math.ceil(ttlMs / 1000));
      const res = http.getResponse<Response>();
      res.setHeader('RateLimit-Limit', limit);
      res.setHeader('RateLimit-Remaining', Math.max(0, limit - hits));
      res.setHeader('RateLimit-Reset', reset);
      if (hits > limit) throw new AppError(ErrorCode.RATE_LIMITED, { limit, windowSeconds: WINDOW_MS / 1000, retryAfterSeconds: reset });
    }
    if (apiCall) {
      // A unit taken (not over) is given back unless the call is handled, also when settling it fails.
      if (!counted.usage!.over) this.usage.countedBeforeGuards(http.getRequest(), http.getResponse<Response>(), apiCall);
      await this.usage.settle(apiCall, counted.usage!);
    }
    return true;
  }
}
