import { randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { AppError, hashToken, REDIS } from '@tenantry/api-core';
import { ErrorCode } from '@tenantry/contracts';
import type { Redis } from 'ioredis';
import type { SignupDto, SignupToJoinDto } from './dto/signup.dto.js';

export const PENDING_SIGNUP_HOURS = 24;

/** A signup waiting for its address to be confirmed: the wizard's answers, the password already hashed. */
export type PendingSignup = Omit<SignupDto, 'password'> & { passwordHash: string };
/** A signup to join a tenant, waiting likewise: the account is made, with this password, only from its link. */
export type PendingJoin = Omit<SignupToJoinDto, 'password'> & { passwordHash: string };

interface Kinds {
  workspace: PendingSignup;
  join: PendingJoin;
}
const PREFIX: Record<keyof Kinds, string> = { workspace: 'auth:pending-signup', join: 'auth:pending-join' };
const keyOf = (kind: keyof Kinds, token: string) => `${PREFIX[kind]}:${hashToken(token).toString('base64url')}`;

/**
 * Signups whose workspace (or account, to join a tenant) is made only once
 * the mailed link comes back: kept in Redis under a hash of the link's token
 * for 24 hours, nothing in the database before then (so a signup shows nobody
 * whether the address or the address's account existed, and nobody sets a
 * password for an address they cannot read).
 */
@Injectable()
export class PendingSignups {
  constructor(@Inject(REDIS) private readonly redis: Redis) {}

  /** Keeps the signup; returns the token for the link. */
  async add<K extends keyof Kinds>(kind: K, signup: Kinds[K]): Promise<string> {
    const token = randomBytes(32).toString('base64url');
    await this.redis.set(keyOf(kind, token), JSON.stringify(signup), 'EX', PENDING_SIGNUP_HOURS * 3600);
    return token;
  }

  /** The signup of a live link, or null. */
  async find<K extends keyof Kinds>(kind: K, token: string): Promise<Kinds[K] | null> {
    const stored = await this.redis.get(keyOf(kind, token));
    return stored ? (JSON.parse(stored) as Kinds[K]) : null;
  }

  /** The signup of a live link; TOKEN_INVALID otherwise. */
  async get<K extends keyof Kinds>(kind: K, token: string): Promise<Kinds[K]> {
    const signup = await this.find(kind, token);
    if (!signup) throw new AppError(ErrorCode.TOKEN_INVALID);
    return signup;
  }

  /** Ends a link once its workspace or account exists. */
  async remove(kind: keyof Kinds, token: string): Promise<void> {
    await this.redis.del(keyOf(kind, token));
  }
}
