import { type CanActivate, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { AppError, type AuthenticatedRequest, REDIS, RequestContext } from '@tenantry/api-core';
import { ErrorCode } from '@tenantry/contracts';
import type { Response } from 'express';
import type { Redis } from 'ioredis';
import { countPlanQuota } from './plan-quota-count.js';
import { PlanCatalog } from './plan-catalog.js';
import { type RateAnswer, RateWindowLeases } from './rate-window-leases.js';
import { UsageMeter } from './usage-meter.js';

const WINDOW_MS = 60_000;

/**
 * Per-tenant rate limit by plan (requests a minute): one bucket per tenant for
 * people, one per API key for keys, so one tenant (or one busy key) flooding
 * never spends anyone else's allowance. Every answer carries RateLimit-Limit,
 * -Remaining and -Reset; past the limit, 429 RATE_LIMITED with Retry-After.
 * People's requests are counted in leases (RateWindowLeases: most need no Redis
 * round trip). An API-key call is also a unit of the month's `api_calls` (people
 * using the app are not metered): its key's window and the unit are counted
 * exactly, in one Redis round trip, refused or warned about by the UsageMeter.
 * It is the last guard (AppModule): a call refused for who makes it, a feature
 * its plan lacks or maintenance is never counted.
 * Our own, not rate-limiter-flexible (which throttles sign-ins here): its Redis
 * limiter spends a round trip on every request, and neither it nor
 * @nestjs/throttler grants a window in shares an instance spends from memory,
 * or counts a call's `api_calls` unit in the same round trip.
 */
@Injectable()
export class TenantRateLimitGuard implements CanActivate {
  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    private readonly catalog: PlanCatalog,
    private readonly usage: UsageMeter,
    private readonly windows: RateWindowLeases,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const tenant = RequestContext.current()?.tenant;
    if (!tenant) return true;
    const limit = (await this.catalog.find(tenant.plan))?.rateLimitPerMinute ?? null;
    const http = context.switchToHttp();
    const apiKey = http.getRequest<AuthenticatedRequest>().apiKey;
    const apiCall = apiKey ? await this.usage.unit('api_calls') : null;
    if (limit === null && !apiCall) return true;
    const res = http.getResponse<Response>();
    if (!apiKey || !apiCall) {
      this.answer(res, limit!, await this.windows.admit(`rate:${tenant.id}`, limit!, WINDOW_MS));
      return true;
    }
    const counted = await countPlanQuota(
      this.redis,
      limit === null ? null : { bucket: `rate:${tenant.id}:key:${apiKey.id}`, windowMs: WINDOW_MS, limit },
      apiCall,
    );
    if (limit !== null && counted.rate) {
      const { hits, ttlMs } = counted.rate;
      this.answer(res, limit, { admitted: hits <= limit, remaining: Math.max(0, limit - hits), resetMs: ttlMs });
    }
    await this.usage.settle(apiCall, counted.usage!);
    return true;
  }

  /** The RateLimit headers every counted answer carries; past the limit, 429 with Retry-After. */
  private answer(res: Response, limit: number, rate: RateAnswer): void {
    const reset = Math.max(1, Math.ceil(rate.resetMs / 1000));
    res.setHeader('RateLimit-Limit', limit);
    res.setHeader('RateLimit-Remaining', rate.remaining);
    res.setHeader('RateLimit-Reset', reset);
    if (!rate.admitted)
      throw new AppError(ErrorCode.RATE_LIMITED, { limit, windowSeconds: WINDOW_MS / 1000, retryAfterSeconds: reset });
  }
}
