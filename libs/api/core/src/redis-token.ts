/** The shared ioredis connection (RedisModule). */
export const REDIS = Symbol('REDIS');
