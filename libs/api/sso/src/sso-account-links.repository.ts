import { Injectable } from '@nestjs/common';
import { TenantDb } from '@tenantry/api-tenancy';

/**
 * The sso_account_links table (with the names of their connections). Every
 * statement runs in the context's tenant transaction; links are looked up by
 * their token's hash only.
 */
@Injectable()
export class SsoAccountLinksRepository {
  constructor(private readonly db: TenantDb) {}

  async isConfirmed(connectionId: string, userId: string): Promise<boolean> {
    const rows: unknown[] = await (
      await this.db.manager()
    ).query('select 1 from sso_account_links where connection_id = $1 and user_id = $2 and confirmed_at is not null', [
      connectionId,
      userId,
    ]);
    return rows.length > 0;
  }

  /** A confirmed link (a pending one is confirmed, its token dropped). */
  async confirmNow(connectionId: string, userId: string): Promise<void> {
    await (
      await this.db.manager()
    ).query(
      `insert into sso_account_links (connection_id, user_id, confirmed_at) values ($1, $2, now())
       on conflict (tenant_id, connection_id, user_id) do update set confirmed_at = now(), token_hash = null, expires_at = null
         where sso_account_links.confirmed_at is null`,
      [connectionId, userId],
    );
  }

  /**
   * A pending link with this token, replacing the last one unless it was asked
   * for less than `resendMinutes` ago; whether it was written (a mail is due).
   */
  async ask(
    connectionId: string,
    userId: string,
    tokenHash: Buffer,
    expiresAt: Date,
    resendMinutes: number,
  ): Promise<boolean> {
    const asked: unknown[] = await (
      await this.db.manager()
    ).query(
      `insert into sso_account_links (connection_id, user_id, token_hash, expires_at) values ($1, $2, $3, $4)
       on conflict (tenant_id, connection_id, user_id) do update
         set token_hash = excluded.token_hash, expires_at = excluded.expires_at, asked_at = now()
         where sso_account_links.asked_at < now() - make_interval(mins => ${resendMinutes})
       returning id`,
      [connectionId, userId, tokenHash, expiresAt],
    );
    return asked.length > 0;
  }

  async deleteOfConnection(connectionId: string): Promise<void> {
    await (await this.db.manager()).query('delete from sso_account_links where connection_id = $1', [connectionId]);
  }

  /** The pending, unexpired link with this token, with its connection. */
  async pending(tokenHash: Buffer): Promise<{ name: string; idp_entity_id: string; user_id: string } | null> {
    const rows: { name: string; idp_entity_id: string; user_id: string }[] = await (
      await this.db.manager()
    ).query(
      `select c.name, c.idp_entity_id, l.user_id
         from sso_account_links l join sso_connections c on c.id = l.connection_id
        where l.token_hash = $1 and l.confirmed_at is null and l.expires_at > now()`,
      [tokenHash],
    );
    return rows[0] ?? null;
  }

  /** Confirms the pending, unexpired link with this token; the link with its connection's name, or null. */
  async confirm(tokenHash: Buffer): Promise<{ connection_id: string; user_id: string; name: string } | null> {
    const rows: { connection_id: string; user_id: string; name: string }[] = await (
      await this.db.manager()
    ).query(
      `with linked as (
         update sso_account_links set confirmed_at = now(), token_hash = null, expires_at = null
          where token_hash = $1 and confirmed_at is null and expires_at > now() returning connection_id, user_id
       ) select l.connection_id, l.user_id, c.name from linked l join sso_connections c on c.id = l.connection_id`,
      [tokenHash],
    );
    return rows[0] ?? null;
  }
}
