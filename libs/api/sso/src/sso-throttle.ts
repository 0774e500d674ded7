import { Inject, Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { addressKey, type AppConfig, rateLimited, REDIS, RequestContext } from '@tenantry/api-core';
import type { Redis } from 'ioredis';
import { RateLimiterRedis } from 'rate-limiter-flexible';

/**
 * How often SSO requests may arrive, a minute at a time, shared by every API
 * instance through Redis. Sign-in starts and ACS posts count per address (an
 * IPv6 address by its /64): nobody mints request IDs or fills the audit log
 * without end. The connection counts only responses about to be parsed and
 * have their signatures checked (those that passed the XML bounds): that caps
 * the CPU one tenant's sign-ins take, while cheap requests, from however many
 * addresses, cannot use up the connection's minute for its people.
 */
@Injectable()
export class SsoThrottle {
  private readonly byIp: RateLimiterRedis;
  private readonly byConnection: RateLimiterRedis;

  constructor(@Inject(REDIS) redis: Redis, @Inject(ConfigService) config: ConfigService<AppConfig, true>) {
    const limits = config.get('sso', { infer: true });
    this.byIp = new RateLimiterRedis({
      storeClient: redis,
      keyPrefix: 'sso:requests-ip',
      points: limits.maxRequestsPerIp,
      duration: 60,
    });
    this.byConnection = new RateLimiterRedis({
      storeClient: redis,
      keyPrefix: 'sso:requests-connection',
      points: limits.maxRequestsPerConnection,
      duration: 60,
    });
  }

  /** Counts a sign-in start or an ACS post against its address; 429 TOO_MANY_ATTEMPTS (with Retry-After) once the address used up its minute. */
  async request(): Promise<void> {
    const ip = RequestContext.current()?.ip;
    if (ip) await rateLimited(() => this.byIp.consume(addressKey(ip)));
  }

  /** Counts a response about to be parsed against its connection; 429 once the connection used up its minute. */
  async parsing(connectionId: string): Promise<void> {
    await rateLimited(() => this.byConnection.consume(connectionId));
  }
}
