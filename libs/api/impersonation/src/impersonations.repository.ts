import { Injectable } from '@nestjs/common';
import { TenantDb } from '@tenantry/api-tenancy';
import { ImpersonationEntity } from './entities/impersonation.entity.js';

/**
 * The impersonations table, in the request's tenant transaction. The look-ups
 * that lead to a change lock their row until the transaction ends, so two
 * requests cannot start (or end) the same support session.
 */
@Injectable()
export class ImpersonationsRepository {
  constructor(private readonly db: TenantDb) {}

  /** The owner's latest approval for `actor` to act as `user`, decided within `hours`; locked. */
  async lockApproval(actor: string, user: string, hours: number): Promise<ImpersonationEntity | null> {
    return (await this.db.repository(ImpersonationEntity))
      .createQueryBuilder('i')
      .where(
        `i.actor_user_id = :actor and i.user_id = :user and i.status = 'approved' and i.decided_at > now() - make_interval(hours => :hours)`,
        { actor, user, hours },
      )
      .orderBy('i.decided_at', 'DESC')
      .setLock('pessimistic_write')
      .getOne();
  }

  /** The running (active, not expired) support session `id`; locked. */
  async lockRunning(id: string): Promise<ImpersonationEntity | null> {
    return (await this.db.repository(ImpersonationEntity))
      .createQueryBuilder('i')
      .where(`i.id = :id and i.status = 'active' and i.expires_at > now()`, { id })
      .setLock('pessimistic_write')
      .getOne();
  }
}
