import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DomainsService } from '@tenantry/api-domains';
import { LicensingService } from '@tenantry/api-licensing';
import { AuditService } from '@tenantry/api-audit';
import {
  AppError,
  type AuthUser,
  containsPattern,
  decodeCursor,
  encodeCursor,
  isUniqueViolation,
  RequestContext,
} from '@tenantry/api-core';
import { TenantDb } from '@tenantry/api-tenancy';
import {
  canAssignRole,
  ErrorCode,
  type JoinOption,
  type Member,
  type MyTenant,
  type Page,
  type TenantRole,
  type TenantSummary,
} from '@tenantry/contracts';
import type { ListMembersQuery } from './dto/list-members.query.js';
import { AuthService } from './auth.service.js';
import { MembershipEntity } from './entities/membership.entity.js';
import { UserEntity } from './entities/user.entity.js';
import { TokenRevocations } from './token-revocations.js';
import { WebhooksService } from '@tenantry/api-webhooks';
import { RealtimeService } from '@tenantry/api-realtime';

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

/** Who an SSO connection says signed in, and the role its settings give them. */
export interface SsoIdentity {
  email: string;
  displayName: string | null;
  role: TenantRole;
  /** The role came from the IdP's groups (kept in step on every sign-in), not the connection's default. */
  roleFromGroups: boolean;
  /** The connection, for the audit log. */
  connection: { id: string; name: string };
}

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
    private readonly licensing: LicensingService,
    private readonly domains: DomainsService,
    private readonly auth: AuthService,
    private readonly webhooks: WebhooksService,
    private readonly realtime: RealtimeService,
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
    return {
      items: items.map(toMember),
      nextCursor: rows.length > query.limit && last ? encodeCursor('members', { key: last.email, id: last.id }) : null,
    };
  }

  async changeRole(auth: AuthUser, membershipId: string, role: TenantRole): Promise<Member> {
    const target = await this.lockForChange(auth, membershipId, role);
    if (target.role === role) return toMember(target);
    await this.setRole(membershipId, target.user_id, role);
    await this.audit.record({
      action: 'member.role_changed',
      target: { type: 'user', id: target.user_id, label: target.email },
      metadata: { from: target.role, to: role },
    });
    await this.webhooks.emit('member.updated', {
      member: { userId: target.user_id, email: target.email, role, previousRole: target.role },
    });
    this.realtime.toTenantAfterCommit('members.changed', { userId: target.user_id, change: 'updated' });
    return toMember({ ...target, role });
  }

  async remove(auth: AuthUser, membershipId: string): Promise<void> {
    const target = await this.lockForChange(auth, membershipId, null);
    await this.delete(target);
    await this.audit.record({
      action: 'member.removed',
      target: { type: 'user', id: target.user_id, label: target.email },
      metadata: { role: target.role },
    });
    await this.webhooks.emit('member.removed', {
      member: { userId: target.user_id, email: target.email, role: target.role },
    });
    this.realtime.toTenantAfterCommit('members.changed', { userId: target.user_id, change: 'removed' });
    this.realtime.dropAfterCommit(target.user_id);
  }

  /**
   * The one place a membership is created after signup (invitations, SSO,
   * auto-join): the seat check runs here. ALREADY_MEMBER when the user is one.
   */
  async add(userId: string, role: TenantRole): Promise<MembershipEntity> {
    await this.licensing.assertSeatAvailable();
    const repo = await this.db.repository(MembershipEntity);
    try {
      await repo.insert({ tenantId: this.db.tenantId, id: randomUUID(), userId, role });
    } catch (error) {
      if (isUniqueViolation(error)) throw new AppError(ErrorCode.ALREADY_MEMBER);
      throw error;
    }
    const [{ email }]: { email: string }[] = await (
      await this.db.manager()
    ).query('select email from users where id = $1', [userId]);
    await this.webhooks.emit('member.added', { member: { userId, email, role } });
    this.realtime.toTenantAfterCommit('members.changed', { userId, change: 'added' });
    return repo.findOneByOrFail({ userId });
  }

  /**
   * Just-in-time membership for a person an SSO connection vouched for: the
   * account (made on first sign-in; the IdP confirms the email), a membership
   * here through add() (the seat check), and on later sign-ins the IdP's name
   * and group-mapped role. Owners keep their role: only people make owners.
   */
  async provision(identity: SsoIdentity): Promise<{ user: UserEntity; membership: MembershipEntity }> {
    const users = await this.db.repository(UserEntity);
    // Two first sign-ins at once: the second waits for the first and then finds its account.
    await users
      .createQueryBuilder()
      .insert()
      .values({
        id: randomUUID(),
        email: identity.email,
        displayName: identity.displayName ?? identity.email.split('@')[0],
        passwordHash: null,
        platformRole: 'none',
        emailVerifiedAt: new Date(),
      })
      .orIgnore()
      .execute();
    const user = await users.findOneByOrFail({ email: identity.email });
    if (user.platformRole !== 'none') throw new AppError(ErrorCode.SSO_PLATFORM_ACCOUNT);
    const changes: Partial<UserEntity> = {};
    if (identity.displayName && identity.displayName !== user.displayName) changes.displayName = identity.displayName;
    if (!user.emailVerifiedAt) changes.emailVerifiedAt = new Date();
    if (Object.keys(changes).length) await users.update({ id: user.id }, changes);

    const memberships = await this.db.repository(MembershipEntity);
    const existing = await memberships.findOneBy({ userId: user.id });
    const actor = { userId: user.id, label: user.email };
    const target = { type: 'user', id: user.id, label: user.email };
    if (!existing) {
      const membership = await this.add(user.id, identity.role);
      await this.audit.record({
        action: 'member.provisioned',
        actor,
        target,
        metadata: { role: identity.role, connection: identity.connection },
      });
      return { user: Object.assign(user, changes), membership };
    }
    if (identity.roleFromGroups && existing.role !== 'owner' && existing.role !== identity.role) {
      await this.setRole(existing.id, user.id, identity.role);
      await this.audit.record({
        action: 'member.role_changed',
        actor,
        target,
        metadata: { from: existing.role, to: identity.role, by: 'sso', connection: identity.connection },
      });
    }
    return { user: Object.assign(user, changes), membership: await memberships.findOneByOrFail({ userId: user.id }) };
  }

  /**
   * The existing account of `email` when an identity provider of this tenant
   * may not simply sign it in: an owner anywhere, or a member of another
   * tenant (the person confirms the link first). Null for a new person, a
   * member of this tenant only, and operators (provision refuses those).
   */
  async accountNeedingLinkConfirmation(email: string): Promise<{ id: string; email: string } | null> {
    const user = await (await this.db.globalRepository(UserEntity)).findOneBy({ email });
    if (!user || user.platformRole !== 'none') return null;
    // Every membership, suspended tenants' included: being an owner there counts too.
    const memberships = await this.db.asUser(
      user.id,
      (m) => m.query('select tenant_id, role from memberships') as Promise<{ tenant_id: string; role: TenantRole }[]>,
    );
    const elsewhere = memberships.some((ms) => ms.role === 'owner' || ms.tenant_id !== this.db.tenantId);
    return elsewhere ? { id: user.id, email: user.email } : null;
  }

  /** The tenant's owners, for mail about what only they may change. */
  async owners(): Promise<{ userId: string; email: string }[]> {
    const rows: MemberRow[] = await (
      await this.db.manager()
    ).query(`${MEMBER_ROW} where ms.role = 'owner' order by u.email`);
    return rows.map((r) => ({ userId: r.user_id, email: r.email }));
  }

  /** Tenants the caller may join by their confirmed email's domain (auto-join), not yet joined. */
  async joinOptions(userId: string): Promise<JoinOption[]> {
    const user = await (await this.db.globalRepository(UserEntity)).findOneBy({ id: userId });
    if (!user?.emailVerifiedAt) return [];
    const options = await this.domains.joinableTenants(user.email.split('@')[1], user.id);
    const mine = new Set((await this.auth.myTenants({ userId })).map((t) => t.tenant.id));
    return options.filter((o) => !mine.has(o.tenant.id));
  }

  /**
   * Once an address is confirmed through a link that opened at a tenant's
   * address: an account without any workspace (signup's "join instead")
   * joins that tenant, when it still lets people of that domain in.
   */
  async joinAfterConfirmation(userId: string): Promise<TenantSummary | null> {
    const tenant = RequestContext.current()?.tenant;
    if (!tenant || (await this.auth.myTenants({ userId })).length > 0) return null;
    if (!(await this.joinOptions(userId)).some((o) => o.tenant.id === tenant.id)) return null;
    return (await this.join(userId, tenant.id)).tenant;
  }

  /** Joins a tenant as a member through auto-join (re-checked here), on the record. */
  async join(userId: string, tenantId: string): Promise<MyTenant> {
    const option = (await this.joinOptions(userId)).find((o) => o.tenant.id === tenantId);
    if (!option) throw new AppError(ErrorCode.JOIN_NOT_ALLOWED);
    return this.db.withTenant(option.tenant, async () => {
      const membership = await this.add(userId, 'member');
      const user = await (await this.db.globalRepository(UserEntity)).findOneByOrFail({ id: userId });
      await this.audit.record({
        action: 'member.joined',
        actor: { userId: user.id, label: user.email },
        target: { type: 'user', id: user.id, label: user.email },
        metadata: { domain: option.domain },
      });
      return { tenant: option.tenant, role: membership.role };
    });
  }

  /** The caller leaves the tenant (not as its last owner). */
  async leave(auth: AuthUser): Promise<void> {
    const m = await this.db.manager();
    const owners = await this.lockOwners();
    const [own]: MemberRow[] = await m.query(`${MEMBER_ROW} where ms.user_id = $1 for update of ms`, [auth.userId]);
    if (!own) throw new AppError(ErrorCode.MEMBER_NOT_FOUND);
    if (own.role === 'owner' && owners <= 1) throw new AppError(ErrorCode.LAST_OWNER);
    await this.delete(own);
    await this.audit.record({ action: 'member.left', target: { type: 'user', id: own.user_id, label: own.email } });
    await this.webhooks.emit('member.removed', {
      member: { userId: own.user_id, email: own.email, role: own.role },
      left: true,
    });
    this.realtime.toTenantAfterCommit('members.changed', { userId: own.user_id, change: 'removed' });
    this.realtime.dropAfterCommit(own.user_id);
  }

  /**
   * Loads the target membership for a change to `to` (null: removal), after
   * checking the caller may make it and that an owner would remain.
   */
  private async lockForChange(auth: AuthUser, membershipId: string, to: TenantRole | null): Promise<MemberRow> {
    const m = await this.db.manager();
    const owners = await this.lockOwners();
    const [target]: MemberRow[] = await m.query(`${MEMBER_ROW} where ms.id = $1 for update of ms`, [membershipId]);
    if (!target) throw new AppError(ErrorCode.MEMBER_NOT_FOUND);
    // Removing someone needs the same right as demoting them.
    if (!auth.role || !canAssignRole(auth.role, target.role, to ?? 'viewer'))
      throw new AppError(ErrorCode.FORBIDDEN, { reason: 'only owners can make, change or remove owners' });
    if (target.role === 'owner' && to !== 'owner' && owners <= 1) throw new AppError(ErrorCode.LAST_OWNER);
    return target;
  }

  /**
   * Locks the tenant's owner rows and counts them. Every change that could
   * remove an owner takes these locks first, in one order, so concurrent
   * changes wait for each other (and never deadlock) before the last-owner check.
   */
  /** Changes the role and outdates the member's access tokens issued before (their `mv`). */
  private async setRole(membershipId: string, userId: string, role: TenantRole): Promise<void> {
    const [updated]: { updated_at: Date }[] = await (
      await this.db.manager()
    ).query(
      `with changed as (update memberships set role = $2, updated_at = date_trunc('milliseconds', clock_timestamp()) where id = $1 returning updated_at)
       select updated_at from changed`,
      [membershipId, role],
    );
    await this.revocations.membershipChanged(this.db.tenantId, userId, updated.updated_at.getTime());
  }

  private async lockOwners(): Promise<number> {
    const owners: { id: string }[] = await (
      await this.db.manager()
    ).query(`select id from memberships where role = 'owner' order by id for update`);
    return owners.length;
  }

  private async delete(target: MemberRow): Promise<void> {
    await (await this.db.manager()).query('delete from memberships where id = $1', [target.id]);
    await this.revocations.membershipChanged(this.db.tenantId, target.user_id);
  }
}
