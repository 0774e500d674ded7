import { Inject, Injectable } from '@nestjs/common';
import { AppError, REDIS } from '@tenantry/api-core';
import { RealtimeService } from '@tenantry/api-realtime';
import { ErrorCode } from '@tenantry/contracts';
import type { Redis } from 'ioredis';
import { AccessTokenService, type VerifiedAccessToken } from './access-token.service.js';

const sessionKey = (sessionId: string) => `auth:revoked-session:${sessionId}`;
const membershipKey = (tenantId: string, userId: string) => `auth:membership-version:${tenantId}:${userId}`;

/**
 * Ends access tokens before they expire: those of a revoked session, and those
 * issued before a role change or removal. Kept in Redis (shared by every API
 * instance) as long as the longest-lived access token (an impersonation's) can live.
 */
@Injectable()
export class TokenRevocations {
  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    private readonly tokens: AccessTokenService,
    private readonly realtime: RealtimeService,
  ) {}

  async revokeSessions(sessionIds: string[]): Promise<void> {
    if (sessionIds.length === 0) return;
    const pipeline = this.redis.pipeline();
    for (const id of sessionIds) pipeline.set(sessionKey(id), '1', 'EX', this.tokens.maxTtlSeconds);
    await pipeline.exec();
    // Sockets were let in with these sessions' tokens: they stop listening now, not when the token expires.
    await this.realtime.dropSessions(sessionIds);
  }

  /** Tokens for this membership with an older version (or any, when it was removed) stop working. */
  async membershipChanged(tenantId: string, userId: string, version: number = Date.now()): Promise<void> {
    await this.redis.set(membershipKey(tenantId, userId), String(version), 'EX', this.tokens.maxTtlSeconds);
  }

  /** False when the token was revoked; one Redis round trip. Redis down: 503, never a pass. */
  async isCurrent(token: VerifiedAccessToken): Promise<boolean> {
    let revoked: string | null;
    let version: string | null;
    try {
      [revoked, version] = await this.redis.mget(sessionKey(token.sid), token.tid ? membershipKey(token.tid, token.sub) : sessionKey(token.sid));
    } catch {
      throw new AppError(ErrorCode.UNHEALTHY, { components: { redis: 'down' } });
    }
    if (revoked) return false;
    return !(token.tid && version && (token.mv ?? 0) < Number(version));
  }
}
