import { Inject, Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { addressKey, type AppConfig, hashToken, rateLimited, REDIS } from '@tenantry/api-core';
import type { Redis } from 'ioredis';
import { RateLimiterRedis } from 'rate-limiter-flexible';

const WINDOW_SECONDS = 15 * 60;
const FIRST_LOCK_SECONDS = 60;
const MAX_LOCK_SECONDS = 60 * 60;

/** How long the n-th lockout of an account within a day lasts: 1, 2, 4, … minutes, at most an hour. */
export function lockSeconds(lockout: number): number {
  return Math.min(FIRST_LOCK_SECONDS * 2 ** (Math.max(lockout, 1) - 1), MAX_LOCK_SECONDS);
}

/** Accounts are keyed by a hash of the (normalized) email: no addresses in Redis keys. */
const accountKey = (email: string) => hashToken(email).toString('base64url');

/** One password check in progress: report its outcome. */
export interface LoginAttempt {
  succeeded(): Promise<void>;
  failed(): Promise<void>;
}

/**
 * Brute-force protection for password checks (login, password change),
 * shared by every API instance through Redis. Attempts are counted per account
 * from any address — so guesses spread over many addresses are stopped too —
 * and per address over any account. Each attempt is counted before the
 * password is checked (atomically in Redis), so a burst of parallel guesses
 * gets no more tries than a sequence; a success gives its count back. An
 * account that reaches the limit is locked for 1 minute, then 2, 4, … up to
 * an hour on repeated lockouts within a day; during a lock even the right
 * password is refused.
 */
@Injectable()
export class LoginThrottle {
  private readonly attemptsByAccount: RateLimiterRedis;
  private readonly lockoutsByAccount: RateLimiterRedis;
  private readonly attemptsByIp: RateLimiterRedis;
  private readonly maxPerAccount: number;

  constructor(@Inject(REDIS) redis: Redis, @Inject(ConfigService) config: ConfigService<AppConfig, true>) {
    const auth = config.get('auth', { infer: true });
    this.maxPerAccount = auth.maxFailuresPerAccount;
    this.attemptsByAccount = new RateLimiterRedis({
      storeClient: redis,
      keyPrefix: 'auth:attempts-account',
      points: this.maxPerAccount,
      duration: WINDOW_SECONDS,
    });
    this.lockoutsByAccount = new RateLimiterRedis({
      storeClient: redis,
      keyPrefix: 'auth:lockouts',
      points: 1000,
      duration: 24 * 60 * 60,
    });
    this.attemptsByIp = new RateLimiterRedis({
      storeClient: redis,
      keyPrefix: 'auth:attempts-ip',
      points: auth.maxFailuresPerIp,
      duration: WINDOW_SECONDS,
    });
  }

  /** Counts an attempt on the address, then on the account; 429 TOO_MANY_ATTEMPTS (with Retry-After) when either is used up. */
  async begin(email: string, address: string | undefined): Promise<LoginAttempt> {
    const key = accountKey(email);
    // An IPv6 client holds a whole /64: counted as one address.
    const ip = address && addressKey(address);
    const account = await rateLimited(async () => {
      if (ip) await this.attemptsByIp.consume(ip);
      return this.attemptsByAccount.consume(key);
    });
    return {
      succeeded: () =>
        rateLimited(async () => {
          await this.attemptsByAccount.delete(key);
          if (ip) await this.attemptsByIp.reward(ip);
        }),
      failed: () =>
        rateLimited(async () => {
          if (account.consumedPoints < this.maxPerAccount) return;
          const lockouts = await this.lockoutsByAccount.penalty(key);
          await this.attemptsByAccount.block(key, lockSeconds(lockouts.consumedPoints));
        }),
    };
  }
}
