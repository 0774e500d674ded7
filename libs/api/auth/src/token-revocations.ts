import { Inject, Injectable } from '@nestjs/common';
import { AppError, ChangeBus, REDIS } from '@tenantry/api-core';
import { RealtimeService } from '@tenantry/api-realtime';
import { ErrorCode } from '@tenantry/contracts';
import type { Redis } from 'ioredis';
import { AccessTokenService, type VerifiedAccessToken } from './access-token.service.js';

const TOPIC = 'token-revocations';
const sessionKey = (sessionId: string) => `auth:revoked-session:${sessionId}`;
const membershipKey = (tenantId: string, userId: string) => `auth:membership-version:${tenantId}:${userId}`;
/** Every revocation in force (`session:<id>`, `membership:<tenant>:<user>`) scored by when it lapses: what an instance loads when it (re)starts listening. */
const INDEX = 'auth:revocations';
/** Past this many revocations in force, an instance answers from Redis rather than grow (or forget one). */
const MAX_REMEMBERED = 200_000;

interface Revocation {
  sessions?: string[];
  membership?: { tenantId: string; userId: string; version: number };
  /** When it lapses (ms): no token it could refuse is still alive by then. */
  until: number;
}

/**
 * Ends access tokens before they expire: those of a revoked session, and those
 * issued before a role change or removal. Kept in Redis as long as the
 * longest-lived access token (an impersonation's) can live, and in every API
 * instance's memory: a revocation is written and announced on the ChangeBus in
 * one transaction, so each instance answers without a Redis round trip. An
 * instance whose listener is down, silent or not yet caught up answers from
 * Redis instead (503 when Redis is down too): never from memory that may miss one.
 */
@Injectable()
export class TokenRevocations {
  private readonly revokedSessions = new Map<string, number>();
  private readonly membershipVersions = new Map<string, { version: number; until: number }>();
  private nextSweep = 0;
  private readonly complete: () => boolean;

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    private readonly tokens: AccessTokenService,
    private readonly realtime: RealtimeService,
    private readonly changes: ChangeBus,
  ) {
    this.complete = changes.follow(
      TOPIC,
      (message) => this.remember(message as unknown as Revocation),
      () => this.load(),
    );
  }

  async revokeSessions(sessionIds: string[]): Promise<void> {
    if (sessionIds.length === 0) return;
    const revocation: Revocation = { sessions: sessionIds, until: Date.now() + this.tokens.maxTtlSeconds * 1000 };
    const transaction = this.redis.multi();
    for (const id of sessionIds)
      transaction
        .set(sessionKey(id), '1', 'EX', this.tokens.maxTtlSeconds)
        .zadd(INDEX, revocation.until, `session:${id}`);
    await this.commit(transaction, revocation);
    // Sockets were let in with these sessions' tokens: they stop listening now, not when the token expires.
    await this.realtime.dropSessions(sessionIds);
  }

  /** Tokens for this membership with an older version (or any, when it was removed) stop working. */
  async membershipChanged(tenantId: string, userId: string, version: number = Date.now()): Promise<void> {
    const revocation: Revocation = {
      membership: { tenantId, userId, version },
      until: Date.now() + this.tokens.maxTtlSeconds * 1000,
    };
    const transaction = this.redis
      .multi()
      .set(membershipKey(tenantId, userId), String(version), 'EX', this.tokens.maxTtlSeconds)
      .zadd(INDEX, revocation.until, `membership:${tenantId}:${userId}`);
    await this.commit(transaction, revocation);
  }

  /**
   * False when the token was revoked. From memory while this instance hears every revocation;
   * otherwise one Redis round trip, and Redis down: 503, never a pass.
   */
  async isCurrent(token: VerifiedAccessToken): Promise<boolean> {
    if (this.complete() && this.revokedSessions.size + this.membershipVersions.size <= MAX_REMEMBERED) {
      const now = Date.now();
      if ((this.revokedSessions.get(token.sid) ?? 0) > now) return false;
      const membership = token.tid ? this.membershipVersions.get(`${token.tid}:${token.sub}`) : undefined;
      return !(membership && membership.until > now && (token.mv ?? 0) < membership.version);
    }
    let revoked: string | null;
    let version: string | null;
    try {
      [revoked, version] = await this.redis.mget(
        sessionKey(token.sid),
        token.tid ? membershipKey(token.tid, token.sub) : sessionKey(token.sid),
      );
    } catch {
      throw new AppError(ErrorCode.UNHEALTHY, { components: { redis: 'down' } });
    }
    if (revoked) return false;
    return !(token.tid && version && (token.mv ?? 0) < Number(version));
  }

  /** Writes the revocation and announces it in one transaction (every listening instance hears of it, or it did not happen), and applies it here at once. */
  private async commit(transaction: ReturnType<Redis['multi']>, revocation: Revocation): Promise<void> {
    transaction.zremrangebyscore(INDEX, '-inf', Date.now());
    const results = await this.changes
      .publishWith(transaction, TOPIC, { ...revocation })
      .exec()
      .catch(() => null);
    if (!results || results.some(([error]) => error))
      throw new AppError(ErrorCode.UNHEALTHY, { components: { redis: 'down' } });
    this.remember(revocation);
  }

  private remember(revocation: Revocation): void {
    this.sweep();
    for (const id of revocation.sessions ?? [])
      this.revokedSessions.set(id, Math.max(this.revokedSessions.get(id) ?? 0, revocation.until));
    const membership = revocation.membership;
    if (membership) {
      const key = `${membership.tenantId}:${membership.userId}`;
      const known = this.membershipVersions.get(key);
      // Messages and a catch-up may arrive in any order: the newest version wins.
      if (!known || known.version <= membership.version)
        this.membershipVersions.set(key, {
          version: membership.version,
          until: Math.max(known?.until ?? 0, revocation.until),
        });
    }
  }

  /** Everything in force, from Redis: on start, and after the listener was down (messages sent meanwhile were lost). */
  private async load(): Promise<void> {
    const entries = await this.redis.zrangebyscore(INDEX, Date.now(), '+inf', 'WITHSCORES');
    const memberships: { tenantId: string; userId: string; until: number }[] = [];
    for (let i = 0; i < entries.length; i += 2) {
      const [kind, first, second] = entries[i].split(':');
      const until = Number(entries[i + 1]);
      if (kind === 'session') this.remember({ sessions: [first], until });
      else memberships.push({ tenantId: first, userId: second, until });
    }
    for (let i = 0; i < memberships.length; i += 1000) {
      const batch = memberships.slice(i, i + 1000);
      const versions = await this.redis.mget(batch.map((m) => membershipKey(m.tenantId, m.userId)));
      batch.forEach(({ tenantId, userId, until }, j) => {
        if (versions[j] !== null)
          this.remember({ membership: { tenantId, userId, version: Number(versions[j]) }, until });
      });
    }
  }

  /** Drops lapsed revocations, at most once a minute: memory holds only what can still refuse a live token. */
  private sweep(): void {
    const now = Date.now();
    if (now < this.nextSweep) return;
    this.nextSweep = now + 60_000;
    for (const [id, until] of this.revokedSessions) if (until <= now) this.revokedSessions.delete(id);
    for (const [key, { until }] of this.membershipVersions) if (until <= now) this.membershipVersions.delete(key);
  }
}
