import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { SessionEntity } from './entities/session.entity.js';

/** Of the people asked about: how many there are, and how many used a session lately. */
export interface ActiveUsers {
  total: number;
  active7d: number;
  active30d: number;
}

const ACTIVE_USERS = `with people as (select unnest($1::uuid[]) as user_id),
       last_use as (select user_id, max(last_used_at) as used from sessions group by user_id)
  select count(*)::int as total,
         count(*) filter (where l.used > now() - interval '7 days')::int as active7d,
         count(*) filter (where l.used > now() - interval '30 days')::int as active30d
    from people p left join last_use l on l.user_id = p.user_id`;

const INSERT_TOKEN = 'insert into refresh_tokens (token_hash, session_id) values ($1, $2)';

/**
 * The sessions and refresh_tokens tables (global). Every statement runs in the
 * caller's transaction (`m`): a rotation reads, locks and writes in one.
 * Tokens are looked up by their hash only.
 */
@Injectable()
export class SessionsRepository {
  /** A new session with its first refresh token. */
  async insert(
    m: EntityManager,
    session: Omit<SessionEntity, 'createdAt' | 'revokedAt' | 'revokeReason'>,
    tokenHash: Buffer,
  ): Promise<void> {
    await m.insert(SessionEntity, session);
    await m.query(INSERT_TOKEN, [tokenHash, session.id]);
  }

  /** The refresh token with this hash, locked until the transaction ends. */
  async lockToken(
    m: EntityManager,
    tokenHash: Buffer,
  ): Promise<{ session_id: string; rotated_at: Date | null } | null> {
    const rows: { session_id: string; rotated_at: Date | null }[] = await m.query(
      'select session_id, rotated_at from refresh_tokens where token_hash = $1 for update',
      [tokenHash],
    );
    return rows[0] ?? null;
  }

  /** The session, locked until the transaction ends. */
  lockSession(m: EntityManager, id: string): Promise<SessionEntity | null> {
    return m.findOne(SessionEntity, { where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  /** Marks the token replaced and adds its successor to the session. */
  async rotateToken(m: EntityManager, tokenHash: Buffer, successorHash: Buffer, sessionId: string): Promise<void> {
    await m.query('update refresh_tokens set rotated_at = now() where token_hash = $1', [tokenHash]);
    await m.query(INSERT_TOKEN, [successorHash, sessionId]);
  }

  /** Whether the token with this hash exists (`found`) and when it was replaced. */
  async rotatedAt(m: EntityManager, tokenHash: Buffer): Promise<{ found: boolean; rotatedAt: Date | null }> {
    const rows: { rotated_at: Date | null }[] = await m.query(
      'select rotated_at from refresh_tokens where token_hash = $1',
      [tokenHash],
    );
    return { found: rows.length > 0, rotatedAt: rows[0]?.rotated_at ?? null };
  }

  async touch(
    m: EntityManager,
    id: string,
    use: Pick<SessionEntity, 'lastUsedAt' | 'ip' | 'userAgent'>,
  ): Promise<void> {
    await m.update(SessionEntity, { id }, use);
  }

  /** The session (live or not) of the refresh token with this hash. */
  async findByToken(m: EntityManager, tokenHash: Buffer): Promise<SessionEntity | null> {
    const rows: { session_id: string }[] = await m.query(
      'select session_id from refresh_tokens where token_hash = $1',
      [tokenHash],
    );
    return rows[0] ? m.findOne(SessionEntity, { where: { id: rows[0].session_id } }) : null;
  }

  find(m: EntityManager, id: string): Promise<SessionEntity | null> {
    return m.findOne(SessionEntity, { where: { id } });
  }

  /** The user's live sessions, the last used first. */
  live(m: EntityManager, userId: string): Promise<SessionEntity[]> {
    return m
      .getRepository(SessionEntity)
      .createQueryBuilder('s')
      .where('s.user_id = :userId and s.revoked_at is null and s.expires_at > now()', { userId })
      .orderBy('s.last_used_at', 'DESC')
      .getMany();
  }

  /** Ids of the user's sessions not revoked, but `keep`. */
  async unrevokedIds(m: EntityManager, userId: string, keep: string | null): Promise<string[]> {
    const rows: { id: string }[] = await m.query(
      "select id from sessions where user_id = $1 and revoked_at is null and id <> coalesce($2::uuid, '00000000-0000-0000-0000-000000000000')",
      [userId, keep],
    );
    return rows.map((r) => r.id);
  }

  /** Revokes those of `ids` not revoked yet (and, with `userId`, only that user's); returns the ids it revoked. */
  async revoke(m: EntityManager, ids: string[], reason: string, userId: string | null): Promise<string[]> {
    if (ids.length === 0) return [];
    const rows: { id: string }[] = await m.query(
      // As a CTE, so the driver hands back the returned rows (not an UPDATE's row count).
      `with ended as (
         update sessions set revoked_at = now(), revoke_reason = $2
          where id = any($1::uuid[]) and revoked_at is null and ($3::uuid is null or user_id = $3) returning id
       ) select id from ended`,
      [ids, reason, userId],
    );
    return rows.map((r) => r.id);
  }

  /** How many of `userIds` there are, and how many used a session in the last 7 and 30 days. */
  async activeUsers(m: EntityManager, userIds: string[]): Promise<ActiveUsers> {
    const [counts]: ActiveUsers[] = await m.query(ACTIVE_USERS, [userIds]);
    return counts;
  }
}
