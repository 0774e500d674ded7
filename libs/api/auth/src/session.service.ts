import { createHmac, hkdfSync, randomBytes, randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectDataSource } from '@nestjs/typeorm';
import { type AppConfig, AppError, hashToken as hash, RequestContext } from '@tenantry/api-core';
import { ErrorCode, type SessionInfo, type TenantSummary } from '@tenantry/contracts';
import type { DataSource } from 'typeorm';
import type { SessionEntity } from './entities/session.entity.js';
import { TenantDb } from '@tenantry/api-tenancy';
import { type ActiveUsers, SessionsRepository } from './sessions.repository.js';
import { TokenRevocations } from './token-revocations.js';

export interface IssuedRefreshToken {
  sessionId: string;
  userId: string;
  refreshToken: string;
  expiresAt: Date;
}

export type RevokeReason = 'logout' | 'logout_all' | 'revoked' | 'refresh_reuse' | 'password_changed';

/**
 * Sessions and their rotating refresh tokens. Only hashes are stored. Every
 * refresh replaces the token; presenting a replaced token again means it was
 * copied, and ends the whole session. The replacement is derived from the old
 * token with a server key, so a client that lost the answer can retry within
 * the grace window and gets the very same new token (and two concurrent
 * refreshes rotate once): no false theft alarm, no second token.
 *
 * Works in the request's transaction (one connection per request), except
 * for the revocation on reuse, which must stick although the request fails.
 */
@Injectable()
export class SessionService {
  private readonly successorKey: Buffer;
  private readonly ttlMs: number;
  private readonly graceMs: number;

  constructor(
    private readonly db: TenantDb,
    private readonly sessions: SessionsRepository,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly revocations: TokenRevocations,
    @Inject(ConfigService) config: ConfigService<AppConfig, true>,
  ) {
    const auth = config.get('auth', { infer: true });
    this.successorKey = Buffer.from(hkdfSync('sha256', auth.jwtSecret, 'tenantry', 'refresh-token-successor', 32));
    this.ttlMs = auth.sessionTtlDays * 24 * 60 * 60 * 1000;
    this.graceMs = auth.refreshGraceSeconds * 1000;
  }

  /** A new session; `ssoTenantId` when a tenant's identity provider vouched for the person (valid in that tenant only). */
  async start(userId: string, ssoTenantId: string | null = null): Promise<IssuedRefreshToken> {
    const state = RequestContext.current();
    const sessionId = randomUUID();
    const refreshToken = randomBytes(32).toString('base64url');
    const expiresAt = new Date(Date.now() + this.ttlMs);
    await this.db.globalTransaction((m) =>
      this.sessions.insert(
        m,
        {
          id: sessionId,
          userId,
          lastUsedAt: new Date(),
          expiresAt,
          ip: state?.ip ?? null,
          userAgent: state?.userAgent ?? null,
          ssoTenantId,
        },
        hash(refreshToken),
      ),
    );
    return { sessionId, userId, refreshToken, expiresAt };
  }

  /**
   * Exchanges a refresh token for its successor. Unknown or ended: 401
   * REFRESH_TOKEN_INVALID. Already replaced (outside the grace window): the
   * session is revoked, `onReuse` runs, and 401 REFRESH_TOKEN_REUSED.
   */
  async rotate(refreshToken: string, onReuse: (session: SessionEntity) => Promise<void>): Promise<IssuedRefreshToken> {
    const outcome = await this.db.globalTransaction(async (m) => {
      const token = await this.sessions.lockToken(m, hash(refreshToken));
      if (!token) return { kind: 'invalid' as const };
      const session = await this.sessions.lockSession(m, token.session_id);
      if (!session || session.revokedAt || session.expiresAt.getTime() <= Date.now())
        return { kind: 'invalid' as const };

      const successor = createHmac('sha256', this.successorKey).update(refreshToken).digest('base64url');
      if (token.rotated_at === null) {
        await this.sessions.rotateToken(m, hash(refreshToken), hash(successor), session.id);
      } else {
        const next = await this.sessions.rotatedAt(m, hash(successor));
        const retry = Date.now() - token.rotated_at.getTime() <= this.graceMs && next.found && next.rotatedAt === null;
        if (!retry) return { kind: 'reused' as const, session };
      }
      const state = RequestContext.current();
      await this.sessions.touch(m, session.id, {
        lastUsedAt: new Date(),
        ip: state?.ip ?? session.ip,
        userAgent: state?.userAgent ?? session.userAgent,
      });
      return {
        kind: 'rotated' as const,
        issued: {
          sessionId: session.id,
          userId: session.userId,
          refreshToken: successor,
          expiresAt: session.expiresAt,
        },
      };
    });
    if (outcome.kind === 'invalid') throw new AppError(ErrorCode.REFRESH_TOKEN_INVALID);
    if (outcome.kind === 'reused') {
      // The request fails: give its transaction up, and revoke in one of our own.
      await this.db.discard();
      await this.dataSource.transaction((m) => this.sessions.revoke(m, [outcome.session.id], 'refresh_reuse', null));
      await this.revocations.revokeSessions([outcome.session.id]);
      await onReuse(outcome.session);
      throw new AppError(ErrorCode.REFRESH_TOKEN_REUSED);
    }
    return outcome.issued;
  }

  /** The live session a refresh token belongs to, if any (for logout). */
  async findByToken(refreshToken: string): Promise<SessionEntity | null> {
    return this.db.globalTransaction((m) => this.sessions.findByToken(m, hash(refreshToken)));
  }

  /**
   * Refuses, with SSO_SESSION_TENANT_BOUND, a token for any tenant but the
   * one whose identity provider started the session: that IdP vouches for the
   * person there only (another tenant needs its own sign-in).
   */
  assertValidIn(
    session: Pick<SessionEntity, 'ssoTenantId'>,
    tenant: Pick<TenantSummary, 'id' | 'slug' | 'name'> | null,
  ): void {
    if (session.ssoTenantId && session.ssoTenantId !== tenant?.id) {
      throw new AppError(
        ErrorCode.SSO_SESSION_TENANT_BOUND,
        tenant ? { tenant: { slug: tenant.slug, name: tenant.name } } : undefined,
      );
    }
  }

  /** A session by its id (live or not), for checks on the tokens it mints. */
  async find(sessionId: string): Promise<SessionEntity | null> {
    return this.db.globalTransaction((m) => this.sessions.find(m, sessionId));
  }

  async list(userId: string, currentSessionId: string | null): Promise<SessionInfo[]> {
    const sessions = await this.db.globalTransaction((m) => this.sessions.live(m, userId));
    return sessions.map((s) => ({
      id: s.id,
      createdAt: s.createdAt.toISOString(),
      lastUsedAt: s.lastUsedAt.toISOString(),
      expiresAt: s.expiresAt.toISOString(),
      ip: s.ip,
      userAgent: s.userAgent,
      current: s.id === currentSessionId,
    }));
  }

  /** Revokes one of the user's live sessions; SESSION_NOT_FOUND for anything else. */
  async revoke(userId: string, sessionId: string, reason: RevokeReason): Promise<void> {
    const ended = await this.db.globalTransaction((m) => this.sessions.revoke(m, [sessionId], reason, userId));
    if (ended.length === 0) throw new AppError(ErrorCode.SESSION_NOT_FOUND);
    await this.revocations.revokeSessions(ended);
  }

  /** Revokes every live session of the user, except `keep`; returns how many ended. */
  async revokeAll(userId: string, reason: RevokeReason, keep?: string): Promise<number> {
    const ended = await this.db.globalTransaction(async (m) =>
      this.sessions.revoke(m, await this.sessions.unrevokedIds(m, userId, keep ?? null), reason, userId),
    );
    await this.revocations.revokeSessions(ended);
    return ended.length;
  }

  /** How many of `userIds` there are, and how many of them used a session in the last 7 and in the last 30 days (the console's figures). */
  activeUsers(userIds: string[]): Promise<ActiveUsers> {
    return this.db.globalTransaction((m) => this.sessions.activeUsers(m, userIds));
  }
}
