import { AppError } from '@tenantry/api-core';
import { ErrorCode } from '@tenantry/contracts';
import { RateLimiterRes } from 'rate-limiter-flexible';

/**
 * Runs Redis-backed limiter calls: a used-up limit becomes 429
 * TOO_MANY_ATTEMPTS with Retry-After; Redis down becomes 503 (nothing can be
 * counted: never allow unlimited tries).
 */
export async function rateLimited<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof RateLimiterRes) {
      throw new AppError(ErrorCode.TOO_MANY_ATTEMPTS, { retryAfterSeconds: Math.max(1, Math.ceil(error.msBeforeNext / 1000)) });
    }
    throw new AppError(ErrorCode.UNHEALTHY, { components: { redis: 'down' } });
  }
}
