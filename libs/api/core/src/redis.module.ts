import { Global, Inject, Logger, Module, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Redis } from 'ioredis';
import { ChangeBus } from './change-bus.js';
import { REDIS } from './redis-token.js';
import type { AppConfig } from './config.js';

export { REDIS };

const logger = new Logger('Redis');

/**
 * Connection options for clients that manage their own connections (BullMQ:
 * it needs `maxRetriesPerRequest: null` and no ioredis key prefix; give it
 * `prefix` instead).
 */
export function redisConnectionOptions(url: string) {
  const u = new URL(url);
  return {
    host: u.hostname,
    port: Number(u.port || 6379),
    username: decodeURIComponent(u.username) || undefined,
    password: decodeURIComponent(u.password) || undefined,
    db: Number(u.pathname.slice(1) || 0),
    tls: u.protocol === 'rediss:' ? {} : undefined,
    maxRetriesPerRequest: null,
  };
}

/**
 * One shared Redis connection for limits, revocations and health. Fails fast
 * instead of queueing commands while Redis is down, and namespaces every key
 * with REDIS_KEY_PREFIX so several environments (or test files) can share one server.
 */
@Global()
@Module({
  providers: [
    {
      provide: REDIS,
      inject: [ConfigService],
      useFactory: (config: ConfigService<AppConfig, true>) => {
        const { url, keyPrefix } = config.get('redis', { infer: true });
        const redis = new Redis(url, {
          keyPrefix,
          maxRetriesPerRequest: 1,
          enableOfflineQueue: false,
          lazyConnect: true,
        });
        // ioredis retries on its own; say so once per outage, not at every attempt.
        let down = false;
        redis.on('error', (error: Error) => {
          if (!down)
            logger.warn(`Redis unreachable (${error.message}); calls that need it answer 503 until it is back`);
          down = true;
        });
        redis.on('ready', () => {
          if (down) logger.log('Redis is back');
          down = false;
        });
        return redis;
      },
    },
    ChangeBus,
  ],
  exports: [REDIS, ChangeBus],
})
export class RedisModule implements OnModuleInit, OnApplicationShutdown {
  constructor(@Inject(REDIS) private readonly redis: Redis) {}

  async onModuleInit(): Promise<void> {
    await this.redis.connect().catch(() => undefined); // health reports it; start-up does not hang on it
  }

  onApplicationShutdown(): void {
    this.redis.disconnect();
  }
}
