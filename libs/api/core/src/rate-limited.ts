import { ErrorCode } from '@tenantry/contracts';
import ipaddr from 'ipaddr.js';
import { RateLimiterRes } from 'rate-limiter-flexible';
import { AppError } from './app-error.js';

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
      throw new AppError(ErrorCode.TOO_MANY_ATTEMPTS, {
        retryAfterSeconds: Math.max(1, Math.ceil(error.msBeforeNext / 1000)),
      });
    }
    throw new AppError(ErrorCode.UNHEALTHY, { components: { redis: 'down' } });
  }
}

/**
 * The key a client address is counted under: an IPv4 address as it is, an
 * IPv6 one by its /64 (what one subscriber usually holds: stepping through
 * its addresses gains nothing).
 */
export function addressKey(ip: string): string {
  if (!ipaddr.isValid(ip)) return ip;
  const parsed = ipaddr.process(ip);
  if (parsed.kind() === 'ipv4') return parsed.toString();
  return `${(parsed as ipaddr.IPv6).parts
    .slice(0, 4)
    .map((part) => part.toString(16))
    .join(':')}::/64`;
}
