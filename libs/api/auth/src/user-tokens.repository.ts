import { Injectable } from '@nestjs/common';
import { TenantDb } from '@tenantry/api-tenancy';

/** The user_tokens table (global, in the context's global transaction): single-use links' hashes. */
@Injectable()
export class UserTokensRepository {
  constructor(private readonly db: TenantDb) {}

  /** Ends the user's unused tokens of `purpose` and adds the new one, in one transaction. */
  async replace(userId: string, purpose: string, tokenHash: Buffer, expiresAt: Date): Promise<void> {
    await this.db.globalTransaction(async (m) => {
      await m.query('update user_tokens set used_at = now() where user_id = $1 and purpose = $2 and used_at is null', [
        userId,
        purpose,
      ]);
      await m.query('insert into user_tokens (token_hash, user_id, purpose, expires_at) values ($1, $2, $3, $4)', [
        tokenHash,
        userId,
        purpose,
        expiresAt,
      ]);
    });
  }

  /** Uses up the unused, unexpired token of `purpose` with this hash; its user, or null when there is none. */
  async consume(tokenHash: Buffer, purpose: string): Promise<string | null> {
    const rows: { user_id: string }[] = await this.db.globalTransaction((m) =>
      m.query(
        `with used as (
           update user_tokens set used_at = now()
            where token_hash = $1 and purpose = $2 and used_at is null and expires_at > now() returning user_id
         ) select user_id from used`,
        [tokenHash, purpose],
      ),
    );
    return rows[0]?.user_id ?? null;
  }
}
