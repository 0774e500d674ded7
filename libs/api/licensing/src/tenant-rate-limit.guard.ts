import { type CanActivate, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { AppError, type AuthenticatedRequest, REDIS, RequestContext } from '@tenantry/api-core';
import { ErrorCode } from '@tenantry/contracts';
import type { Response } from 'express';
import type { Redis } from 'ioredis';
import { PlanCatalog } from './plan-catalog.js';

const WINDOW_MS = 60_000;
// One round trip, atomic across API instances: count the request in a fixed one-minute window.
const COUNT = `
local hits = redis.call('INCR', KEYS[1])
if hits == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return { hits, redis.call('PTTL', KEYS[1]) }`;

/**
 * Per-tenant rate limit by plan (requests a minute): one bucket per tenant for
 * people, one per API key for keys, so one tenant (or one busy key) flooding
 * never spends anyone else's allowance. Every answer carries RateLimit-Limit,
 * -Remaining and -Reset; past the limit, 429 RATE_LIMITED with Retry-After.
 * (Hand-written: @nestjs/throttler 6 is CommonJS and requires the ESM-only
 * NestJS 12, which our Jest on Node 20 can not load.)
 */
@Injectable()
export class TenantRateLimitGuard implements CanActivate {
  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    private readonly catalog: PlanCatalog,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const tenant = RequestContext.current()?.tenant;
    if (!tenant) return true;
    const limit = (await this.catalog.find(tenant.plan))?.rateLimitPerMinute ?? null;
    if (limit === null) return true;
    const http = context.switchToHttp();
    const apiKey = http.getRequest<AuthenticatedRequest>().apiKey;
    const bucket = apiKey ? `rate:${tenant.id}:key:${apiKey.id}` : `rate:${tenant.id}`;
    let hits: number;
    let ttlMs: number;
    try {
      [hits, ttlMs] = (await this.redis.eval(COUNT, 1, bucket, WINDOW_MS)) as [number, number];
    } catch {
      throw new AppError(ErrorCode.UNHEALTHY, { components: { redis: 'down' } });
    }
    const reset = Math.max(1, Math.ceil(ttlMs / 1000));
    const res = http.getResponse<Response>();
    res.setHeader('RateLimit-Limit', limit);
    res.setHeader('RateLimit-Remaining', Math.max(0, limit - hits));
    res.setHeader('RateLimit-Reset', reset);
    if (hits > limit) throw new AppError(ErrorCode.RATE_LIMITED, { limit, windowSeconds: WINDOW_MS / 1000, retryAfterSeconds: reset });
    return true;
  }
}
