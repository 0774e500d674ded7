import { createHash } from 'node:crypto';
import { AppError } from '@tenantry/api-core';
import { ErrorCode, type UsageMetric } from '@tenantry/contracts';
import type { Redis } from 'ioredis';

/** A request counted in its plan's rate window (TenantRateLimitGuard's part). */
export interface RateWindow {
  bucket: string;
  windowMs: number;
  limit: number;
}

/** One unit of a metered metric (UsageMeter's part): its keys, the month's limit, and how to rebuild the month's count. */
export interface UsageUnit {
  metric: UsageMetric;
  tenantId: string;
  /** When it is counted: the day and month it counts in. */
  at: Date;
  /** The month's running count; `pending` (hash field `field`) and `dirty` feed the flush to Postgres. */
  keys: { month: string; pending: string; dirty: string; warned80: string; warned100: string };
  field: string;
  limit: number | null;
  warnFrom: number;
  keepSeconds: number;
  /** Rebuilds the month's count from Postgres (it is gone after a Redis restart). */
  rebuild(): Promise<unknown>;
}

export type UsageOutcome = { over: true; used: number } | { over: false; used: number; firstWarning: 80 | 100 | null };

const MONTH_UNKNOWN = 3;
const OVER = 2;

// One round trip for what a request spends of its plan, atomic across API instances. In order:
// a limited unit whose month count is gone changes nothing (the caller rebuilds it and asks again);
// the rate window counts the request and, past its limit, nothing more is counted;
// the unit is taken first and given back when over (concurrent requests never pass the limit together),
// its 80 %/100 % warning flagged once a month, and it is queued for the flush to Postgres.
const COUNT = `
local rateLimit, field, limit = tonumber(ARGV[2]), ARGV[3], tonumber(ARGV[5])
if field ~= '' and limit and redis.call('EXISTS', KEYS[2]) == 0 then return { -1, -1, ${MONTH_UNKNOWN}, 0, 0 } end
local hits, ttl = -1, -1
if rateLimit then
  hits = redis.call('INCR', KEYS[1])
  if hits == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
  ttl = redis.call('PTTL', KEYS[1])
  if hits > rateLimit then return { hits, ttl, 0, 0, 0 } end
end
if field == '' then return { hits, ttl, 0, 0, 0 } end
local used, warned = redis.call('INCR', KEYS[2]), 0
if limit then
  if used > limit then
    redis.call('DECR', KEYS[2])
    return { hits, ttl, ${OVER}, used - 1, 0 }
  end
  local level, flag = 0, nil
  if used >= limit then level, flag = 100, KEYS[6] elseif used >= tonumber(ARGV[6]) then level, flag = 80, KEYS[5] end
  if flag and redis.call('SET', flag, '1', 'EX', ARGV[7], 'NX') then warned = level end
end
redis.call('HINCRBY', KEYS[3], field, 1)
redis.call('SADD', KEYS[4], ARGV[4])
redis.call('EXPIRE', KEYS[2], ARGV[7])
return { hits, ttl, 1, used, warned }`;

const COUNT_SHA = createHash('sha1').update(COUNT).digest('hex');

/** Runs COUNT by its hash (Redis keeps scripts it ran), sending the script itself only to a Redis that has not seen it. */
function countScript(redis: Redis, numberOfKeys: number, ...args: (string | number)[]): Promise<unknown> {
  return redis
    .evalsha(COUNT_SHA, numberOfKeys, ...args)
    .catch((error: Error) =>
      error.message.startsWith('NOSCRIPT') ? redis.eval(COUNT, numberOfKeys, ...args) : Promise.reject(error),
    );
}

/**
 * Counts a request in its rate window and/or one unit of a metric, in one Redis round trip
 * (twice when the month's count must first be rebuilt). Each part is its owner's to read:
 * `rate` for the guard's headers and 429, `usage` for the meter's refusal and warnings.
 * Redis down: 503, never a pass.
 */
export async function countPlanQuota(
  redis: Redis,
  rate: RateWindow | null,
  unit: UsageUnit | null,
): Promise<{ rate: { hits: number; ttlMs: number } | null; usage: UsageOutcome | null }> {
  const run = async () => {
    try {
      return (await countScript(
        redis,
        6,
        rate?.bucket ?? 'rate:none',
        ...(unit
          ? [unit.keys.month, unit.keys.pending, unit.keys.dirty, unit.keys.warned80, unit.keys.warned100]
          : ['usage:none', 'usage:none', 'usage:none', 'usage:none', 'usage:none']),
        rate?.windowMs ?? '',
        rate?.limit ?? '',
        unit?.field ?? '',
        unit?.tenantId ?? '',
        unit?.limit ?? '',
        unit?.warnFrom ?? '',
        unit?.keepSeconds ?? '',
      )) as [number, number, number, number, number];
    } catch {
      throw new AppError(ErrorCode.UNHEALTHY, { components: { redis: 'down' } });
    }
  };
  let [hits, ttlMs, state, used, warned] = await run();
  if (state === MONTH_UNKNOWN) {
    await unit!.rebuild();
    [hits, ttlMs, state, used, warned] = await run();
    if (state === MONTH_UNKNOWN) throw new AppError(ErrorCode.UNHEALTHY, { components: { redis: 'down' } }); // lost again at once: Redis is not keeping data
  }
  return {
    rate: rate ? { hits, ttlMs } : null,
    usage:
      !unit || state === 0
        ? null
        : state === OVER
          ? { over: true, used }
          : { over: false, used, firstWarning: warned === 0 ? null : (warned as 80 | 100) },
  };
}
