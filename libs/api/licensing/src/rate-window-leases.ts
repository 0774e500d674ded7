import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { AppError, ExpiringCache, REDIS } from '@tenantry/api-core';
import { ErrorCode } from '@tenantry/contracts';
import type { Redis } from 'ioredis';

/** An instance takes a hundredth of a window's limit at a time (at least one request). */
export const LEASE_SHARE = 100;

/** Requests of a rate window this instance took from Redis and may still admit. */
interface Lease {
  /** When the window ends, by this instance's clock (measured from before the request to Redis). */
  until: number;
  left: number;
  /** The window's count in Redis when the lease was taken, this lease included. */
  counted: number;
  /** The window's limit the share was taken under. */
  limit: number;
  /** Redis had nothing left to grant: the window is full until `until`. */
  refused: boolean;
}

export interface RateAnswer {
  admitted: boolean;
  /** Requests the window can still admit, as far as this instance knows. */
  remaining: number;
  resetMs: number;
}

// Grants up to ARGV[2] requests of the window, never more than its limit leaves; the window
// starts with its first grant. Answers { count after the grant, window's ms left, granted }.
const LEASE = `
local limit, want = tonumber(ARGV[1]), tonumber(ARGV[2])
local used = tonumber(redis.call('GET', KEYS[1]) or '0')
local grant = math.min(want, limit - used)
if grant <= 0 then return { used, redis.call('PTTL', KEYS[1]), 0 } end
local counted = redis.call('INCRBY', KEYS[1], grant)
if counted == grant then redis.call('PEXPIRE', KEYS[1], ARGV[3]) end
return { counted, redis.call('PTTL', KEYS[1]), grant }`;
const LEASE_SHA = createHash('sha1').update(LEASE).digest('hex');

/**
 * Rate windows counted in leases: an instance takes a share of a window's limit from Redis in one
 * round trip and admits that many requests from memory. Redis grants no more than the limit, so no
 * window ever admits more than its limit on any number of instances; requests an instance took and
 * did not use when the window ends are lost, so with N instances a busy window may refuse up to
 * (N − 1) shares early. A limit under LEASE_SHARE × 2 is counted request by request, exactly.
 */
@Injectable()
export class RateWindowLeases {
  private readonly leases = new ExpiringCache<Lease>(100_000);
  private readonly taking = new Map<string, Promise<Lease>>();

  constructor(@Inject(REDIS) private readonly redis: Redis) {}

  /** Counts one request in `bucket`'s window; Redis unreachable while a new share is needed: 503. */
  async admit(bucket: string, limit: number, windowMs: number): Promise<RateAnswer> {
    const share = Math.max(1, Math.floor(limit / LEASE_SHARE));
    for (;;) {
      const held = this.leases.get(bucket);
      // A share taken under another limit (the plan changed) is not spent.
      const lease =
        held && held.left > 0 && held.limit === limit
          ? held
          : share === 1
            ? await this.ask(bucket, limit, windowMs, share) // one request each: in parallel, nothing to share
            : await this.take(bucket, limit, windowMs, share);
      const resetMs = Math.max(0, lease.until - Date.now());
      if (lease.refused) return { admitted: false, remaining: 0, resetMs };
      // Requests that waited for the same share may have spent it: then the next share is asked for.
      if (lease.left > 0) {
        lease.left--;
        return { admitted: true, remaining: Math.max(0, limit - lease.counted + lease.left), resetMs };
      }
    }
  }

  /** One request to Redis per bucket at a time: requests arriving meanwhile wait for its share. */
  private take(bucket: string, limit: number, windowMs: number, share: number): Promise<Lease> {
    let taking = this.taking.get(bucket);
    if (!taking) {
      taking = this.ask(bucket, limit, windowMs, share).finally(() => this.taking.delete(bucket));
      this.taking.set(bucket, taking);
    }
    return taking;
  }

  private async ask(bucket: string, limit: number, windowMs: number, share: number): Promise<Lease> {
    const sent = Date.now();
    const args = [1, bucket, limit, share, windowMs] as const;
    let answer: [number, number, number];
    try {
      answer = (await this.redis
        .evalsha(LEASE_SHA, ...args)
        .catch((error: Error) =>
          error.message.startsWith('NOSCRIPT') ? this.redis.eval(LEASE, ...args) : Promise.reject(error),
        )) as [number, number, number];
    } catch {
      throw new AppError(ErrorCode.UNHEALTHY, { components: { redis: 'down' } });
    }
    const [counted, ttlMs, granted] = answer;
    // No window yet (a limit of 0 grants nothing and starts none): a refusal holds for a whole window.
    const until = sent + (ttlMs > 0 ? ttlMs : windowMs);
    const lease = { until, left: granted, counted, limit, refused: granted === 0 };
    if (granted > 1) this.leases.set(bucket, lease, lease.until);
    return lease;
  }
}
