import { Injectable } from '@nestjs/common';
import { TenantDb } from '@tenantry/api-tenancy';
import { InvitationEntity } from './entities/invitation.entity.js';
import type { StoredInvitation } from './people.types.js';

/** What a new invitation is made of; the rest comes from the database or from sending it. */
export type NewInvitation = Pick<
  StoredInvitation,
  'id' | 'email' | 'role' | 'invitedBy' | 'tokenHash' | 'sentAt' | 'expiresAt'
>;
/** What sending an invitation again changes. */
export type InvitationRenewal = Pick<StoredInvitation, 'role' | 'invitedBy' | 'tokenHash' | 'sentAt' | 'expiresAt'>;

/** The invitations table, in the context's tenant transaction (row-level security scopes it to that tenant). */
@Injectable()
export class InvitationsRepository {
  constructor(private readonly db: TenantDb) {}

  async byId(id: string): Promise<StoredInvitation | null> {
    return (await this.db.repository(InvitationEntity)).findOneBy({ id });
  }

  /** The open (not accepted or revoked) invitation of an address, locked until the transaction ends. */
  async lockOpenFor(email: string): Promise<StoredInvitation | null> {
    return (await this.db.repository(InvitationEntity))
      .createQueryBuilder('i')
      .where('i.email = :email and i.accepted_at is null and i.revoked_at is null', { email })
      .setLock('pessimistic_write')
      .getOne();
  }

  /** The invitation of a token's hash; `lock` holds it until the transaction ends. */
  async byTokenHash(tokenHash: Buffer, lock: boolean): Promise<StoredInvitation | null> {
    const qb = (await this.db.repository(InvitationEntity))
      .createQueryBuilder('i')
      .where('i.token_hash = :hash', { hash: tokenHash });
    if (lock) qb.setLock('pessimistic_write');
    return qb.getOne();
  }

  /** Open invitations (pending or expired, not accepted or revoked), newest first; 500 at most. */
  async listOpen(): Promise<StoredInvitation[]> {
    return (await this.db.repository(InvitationEntity))
      .createQueryBuilder('i')
      .where('i.accepted_at is null and i.revoked_at is null')
      .orderBy('i.created_at', 'DESC')
      .addOrderBy('i.id', 'DESC')
      .limit(500)
      .getMany();
  }

  async insert(invitation: NewInvitation): Promise<StoredInvitation> {
    const repo = await this.db.repository(InvitationEntity);
    await repo.insert({ ...invitation, tenantId: this.db.tenantId });
    return repo.findOneByOrFail({ id: invitation.id });
  }

  async renew(id: string, renewal: InvitationRenewal): Promise<StoredInvitation> {
    const repo = await this.db.repository(InvitationEntity);
    await repo.update({ id }, renewal);
    return repo.findOneByOrFail({ id });
  }

  async markAccepted(id: string, userId: string): Promise<void> {
    await (
      await this.db.repository(InvitationEntity)
    ).update({ id }, { acceptedAt: new Date(), acceptedUserId: userId });
  }

  async markRevoked(id: string): Promise<void> {
    await (await this.db.repository(InvitationEntity)).update({ id }, { revokedAt: new Date() });
  }
}
