import { ConfigService } from '@nestjs/config';
import type { AppConfig } from '@tenantry/api-core';
import { Redis } from 'ioredis';

export const REDIS = Symbol('REDIS');

/** One shared Redis connection; fails fast instead of queueing commands while Redis is down. */
export const redisProvider = {
  provide: REDIS,
  inject: [ConfigService],
  useFactory: (config: ConfigService<AppConfig, true>) =>
    new Redis(config.get('redis', { infer: true }).url, { lazyConnect: true, maxRetriesPerRequest: 1, enableOfflineQueue: false }),
};
