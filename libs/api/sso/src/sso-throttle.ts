import { Inject, Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { rateLimited } from '@tenantry/api-auth';
import { type AppConfig, REDIS, RequestContext } from '@tenantry/api-core';
import type { Redis } from 'ioredis';
import { RateLimiterRedis } from 'rate-limiter-flexible';

/**
 * How often sign-ins may start and responses arrive at the ACS (each counts
 * one), per address and per connection, a minute at a time, shared by every
 * API instance through Redis: nobody mints request IDs or has responses
 * parsed without end. An address that used up its minute no longer counts
 * against the connection.
 */
@Injectable()
export class SsoThrottle {
  private readonly byIp: RateLimiterRedis;
  private readonly byConnection: RateLimiterRedis;

  constructor(@Inject(REDIS) redis: Redis, @Inject(ConfigService) config: ConfigService<AppConfig, true>) {
    const limits = config.get('sso', { infer: true });
    this.byIp = new RateLimiterRedis({ storeClient: redis, keyPrefix: 'sso:requests-ip', points: limits.maxRequestsPerIp, duration: 60 });
    this.byConnection = new RateLimiterRedis({ storeClient: redis, keyPrefix: 'sso:requests-connection', points: limits.maxRequestsPerConnection, duration: 60 });
  }

  /** Counts one request; 429 TOO_MANY_ATTEMPTS (with Retry-After) when the address or the connection used up its minute. */
  consume(connectionId: string): Promise<void> {
    const ip = RequestContext.current()?.ip;
    return rateLimited(async () => {
      if (ip) await this.byIp.consume(ip);
      await this.byConnection.consume(connectionId);
    });
  }
}
