import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DomainsService } from '@tenantry/api-domains';
import { AuditService } from '@tenantry/api-audit';
import { AppError, type AuthUser, containsPattern, decodeCursor, encodeCursor, isUniqueViolation } from '@tenantry/api-core';
import { TenantDb } from '@tenantry/api-tenancy';
import { canAssignRole, ErrorCode, type JoinOption, type Member, type MyTenant, type Page, type TenantRole } from '@tenantry/contracts';
import type { ListMembersQuery } from './dto/list-members.query.js';
import { AuthService } from './auth.service.js';
import { MembershipEntity } from './entities/membership.entity.js';
import { UserEntity } from './entities/user.entity.js';
import { SeatPolicy } from './seat-policy.js';
import { TokenRevocations } from './token-revocations.js';

interface MemberRow {
  id: string;
  user_id: string;
  email: string;
  display_name: string;
  role: TenantRole;
  created_at: Date;
}

const toMember = (r: MemberRow): Member => ({
  id: r.id,
  userId: r.user_id,
  email: r.email,
  displayName: r.display_name,
  role: r.role,
  joinedAt: r.created_at.toISOString(),
});

/** One member row: the membership and its user. */
const MEMBER_ROW = `select ms.id, ms.user_id, u.email, u.display_name, ms.role, ms.created_at
  from memberships ms join users u on u.id = ms.user_id`;

/**
 * The tenant's members: list, change role, remove, leave. A tenant always
 * keeps at least one owner; only owners make or unmake owners. A change
 * outdates the member's access tokens at once (they refresh into the new role).
 */
@Injectable()
export class MembersService {
  constructor(
    private readonly db: TenantDb,
    private readonly audit: AuditService,
    private readonly revocations: TokenRevocations,
    private readonly seats: SeatPolicy,
    private readonly domains: DomainsService,
    private readonly auth: AuthService,
  ) {}

  /** Sorted by email; keyset-paginated. */
  async list(query: ListMembersQuery): Promise<Page<Member>> {
    const m = await this.db.manager();
    const params: unknown[] = [query.limit + 1];
    const where: string[] = [];
    if (query.q?.trim()) {
      params.push(containsPattern(query.q.trim()));
      where.push(`(u.email ilike $${params.length} or u.display_name ilike $${params.length})`);
    }
    if (query.cursor) {
      const after = decodeCursor('members', query.cursor);
      params.push(after.key, after.id);
      where.push(`(u.email, ms.id) > ($${params.length - 1}, $${params.length}::uuid)`);
    }
    const rows: MemberRow[] = await m.query(
      `${MEMBER_ROW}
        ${where.length ? `where ${where.join(' and ')}` : ''}
        order by u.email, ms.id limit $1`,
      params,
    );
    const items = rows.slice(0, query.limit);
    const last = items.at(-1);
    return { items: items.map(toMember), nextCursor: rows.length > query.limit && last ? encodeCursor('members', { key: last.email, id: last.id }) : null };
  }

  async changeRole(auth: AuthUser, membershipId: string, role: TenantRole): Promise<Member> {
    const target = await this.lockForChange(auth, membershipId, role);
    if (target.role === role) return toMember(target);
    const m = await this.db.manager();
    const [updated]: { updated_at: Date }[] = await m.query(
      `with changed as (update memberships set role = $2, updated_at = date_trunc('milliseconds', clock_timestamp()) where id = $1 returning updated_at)
       select updated_at from changed`,
      [membershipId, role],
    );
    await this.audit.record({ action: 'member.role_changed', target: { type: 'user', id: target.user_id, label: target.email }, metadata: { from: target.role, to: role } });
    await this.revocations.membershipChanged(this.db.tenantId, target.user_id, updated.updated_at.getTime());
    return toMember({ ...target, role });
  }

  async remove(auth: AuthUser, membershipId: string): Promise<void> {
    const target = await this.lockForChange(auth, membershipId, null);
    await this.delete(target);
    await this.audit.record({ action: 'member.removed', target: { type: 'user', id: target.user_id, label: target.email }, metadata: { role: target.role } });
  }

  /**
   * The one place a membership is created after signup (invitations today, SSO
   * later): the seat check runs here. ALREADY_MEMBER when the user is one.
   */
  async add(userId: string, role: TenantRole): Promise<MembershipEntity> {
    await this.seats.assertSeatAvailable(this.db.tenantId);
    const repo = await this.db.repository(MembershipEntity);
    try {
      await repo.insert({ tenantId: this.db.tenantId, id: randomUUID(), userId, role });
    } catch (error) {
      if (isUniqueViolation(error)) throw new AppError(ErrorCode.ALREADY_MEMBER);
      throw error;
    }
    return repo.findOneByOrFail({ userId });
  }

  /** Tenants the caller may join by their confirmed email's domain (auto-join), not yet joined. */
  async joinOptions(auth: AuthUser): Promise<JoinOption[]> {
    const user = await (await this.db.globalRepository(UserEntity)).findOneBy({ id: auth.userId });
    if (!user?.emailVerifiedAt) return [];
    const options = await this.domains.joinableTenants(user.id, user.email.split('@')[1]);
    const mine = new Set((await this.auth.myTenants(auth)).map((t) => t.tenant.id));
    return options.filter((o) => !mine.has(o.tenant.id));
  }

  /** Joins a tenant as a member through auto-join (re-checked here), on the record. */
  async join(auth: AuthUser, tenantId: string): Promise<MyTenant> {
    const option = (await this.joinOptions(auth)).find((o) => o.tenant.id === tenantId);
    if (!option) throw new AppError(ErrorCode.JOIN_NOT_ALLOWED);
    return this.db.withTenant(option.tenant, async () => {
      const membership = await this.add(auth.userId, 'member');
      const user = await (await this.db.globalRepository(UserEntity)).findOneByOrFail({ id: auth.userId });
      await this.audit.record({ action: 'member.joined', actor: { userId: user.id, label: user.email }, target: { type: 'user', id: user.id, label: user.email }, metadata: { domain: option.domain } });
      return { tenant: option.tenant, role: membership.role };
    });
  }

  /** The caller leaves the tenant (not as its last owner). */
  async leave(auth: AuthUser): Promise<void> {
    const m = await this.db.manager();
    const owners = await this.lockOwners();
    const [own]: MemberRow[] = await m.query(
      `${MEMBER_ROW} where ms.user_id = $1 for update of ms`,
      [auth.userId],
    );
    if (!own) throw new AppError(ErrorCode.MEMBER_NOT_FOUND);
    if (own.role === 'owner' && owners <= 1) throw new AppError(ErrorCode.LAST_OWNER);
    await this.delete(own);
    await this.audit.record({ action: 'member.left', target: { type: 'user', id: own.user_id, label: own.email } });
  }

  /**
   * Loads the target membership for a change to `to` (null: removal), after
   * checking the caller may make it and that an owner would remain.
   */
  private async lockForChange(auth: AuthUser, membershipId: string, to: TenantRole | null): Promise<MemberRow> {
    const m = await this.db.manager();
    const owners = await this.lockOwners();
    const [target]: MemberRow[] = await m.query(
      `${MEMBER_ROW} where ms.id = $1 for update of ms`,
      [membershipId],
    );
    if (!target) throw new AppError(ErrorCode.MEMBER_NOT_FOUND);
    // Removing someone needs the same right as demoting them.
    if (!auth.role || !canAssignRole(auth.role, target.role, to ?? 'viewer')) throw new AppError(ErrorCode.FORBIDDEN, { reason: 'only owners can make, change or remove owners' });
    if (target.role === 'owner' && to !== 'owner' && owners <= 1) throw new AppError(ErrorCode.LAST_OWNER);
    return target;
  }

  /**
   * Locks the tenant's owner rows and counts them. Every change that could
   * remove an owner takes these locks first, in one order, so concurrent
   * changes wait for each other (and never deadlock) before the last-owner check.
   */
  private async lockOwners(): Promise<number> {
    const owners: { id: string }[] = await (await this.db.manager()).query(`select id from memberships where role = 'owner' order by id for update`);
    return owners.length;
  }

  private async delete(target: MemberRow): Promise<void> {
    await (await this.db.manager()).query('delete from memberships where id = $1', [target.id]);
    await this.revocations.membershipChanged(this.db.tenantId, target.user_id);
  }
}
