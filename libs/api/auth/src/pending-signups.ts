import { randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { AppError, hashToken, REDIS } from '@tenantry/api-core';
import { ErrorCode } from '@tenantry/contracts';
import type { Redis } from 'ioredis';
import type { SignupDto } from './dto/signup.dto.js';

export const PENDING_SIGNUP_HOURS = 24;

/** A signup waiting for its address to be confirmed: the wizard's answers, the password already hashed. */
export type PendingSignup = Omit<SignupDto, 'password'> & { passwordHash: string };

const keyOf = (token: string) => `auth:pending-signup:${hashToken(token).toString('base64url')}`;

/**
 * Signups whose workspace is made only once the mailed link comes back: kept
 * in Redis under a hash of the link's token for 24 hours, nothing in the
 * database before then (so a signup shows nobody whether the address or the
 * address's account existed).
 */
@Injectable()
export class PendingSignups {
  constructor(@Inject(REDIS) private readonly redis: Redis) {}

  /** Keeps the signup; returns the token for the link. */
  async add(signup: PendingSignup): Promise<string> {
    const token = randomBytes(32).toString('base64url');
    await this.redis.set(keyOf(token), JSON.stringify(signup), 'EX', PENDING_SIGNUP_HOURS * 3600);
    return token;
  }

  /** The signup of a live link; TOKEN_INVALID otherwise. */
  async get(token: string): Promise<PendingSignup> {
    const stored = await this.redis.get(keyOf(token));
    if (!stored) throw new AppError(ErrorCode.TOKEN_INVALID);
    return JSON.parse(stored) as PendingSignup;
  }

  /** Ends a link once its workspace exists. */
  async remove(token: string): Promise<void> {
    await this.redis.del(keyOf(token));
  }
}
