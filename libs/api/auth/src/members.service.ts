import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DomainsService } from '@tenantry/api-domains';
import { LicensingService } from '@tenantry/api-licensing';
import { AuditService } from '@tenantry/api-audit';
import { AppError, type AuthUser, RequestContext } from '@tenantry/api-core';
import { type Membership, PeopleService, type User } from '@tenantry/api-people';
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
import { TokenRevocations } from './token-revocations.js';
import { WebhooksService } from '@tenantry/api-webhooks';
import { RealtimeService } from '@tenantry/api-realtime';

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

/**
 * The tenant's members: list, change role, remove, leave. A tenant always
 * keeps at least one owner; only owners make or unmake owners. A change
 * outdates the member's access tokens at once (they refresh into the new role).
 */
@Injectable()
export class MembersService {
  constructor(
    private readonly db: TenantDb,
    private readonly people: PeopleService,
    private readonly audit: AuditService,
    private readonly revocations: TokenRevocations,
    private readonly licensing: LicensingService,
    private readonly domains: DomainsService,
    private readonly auth: AuthService,
    private readonly webhooks: WebhooksService,
    private readonly realtime: RealtimeService,
  ) {}

  /** Sorted by email; keyset-paginated. */
  list(query: ListMembersQuery): Promise<Page<Member>> {
    return this.people.listMembers(query);
  }

  async changeRole(auth: AuthUser, membershipId: string, role: TenantRole): Promise<Member> {
    const target = await this.lockForChange(auth, membershipId, role);
    if (target.role === role) return target;
    await this.setRole(membershipId, target.userId, role);
    await this.audit.record({
      action: 'member.role_changed',
      target: { type: 'user', id: target.userId, label: target.email },
      metadata: { from: target.role, to: role },
    });
    await this.webhooks.emit('member.updated', {
      member: { userId: target.userId, email: target.email, role, previousRole: target.role },
    });
    this.realtime.toTenantAfterCommit('members.changed', { userId: target.userId, change: 'updated' });
    return { ...target, role };
  }

  async remove(auth: AuthUser, membershipId: string): Promise<void> {
    const target = await this.lockForChange(auth, membershipId, null);
    await this.delete(target);
    await this.audit.record({
      action: 'member.removed',
      target: { type: 'user', id: target.userId, label: target.email },
      metadata: { role: target.role },
    });
    await this.webhooks.emit('member.removed', {
      member: { userId: target.userId, email: target.email, role: target.role },
    });
    this.realtime.toTenantAfterCommit('members.changed', { userId: target.userId, change: 'removed' });
    this.realtime.dropAfterCommit(target.userId);
  }

  /**
   * The one place a membership is created after signup (invitations, SSO,
   * auto-join): the seat check runs here. ALREADY_MEMBER when the user is one.
   */
  async add(userId: string, role: TenantRole): Promise<Membership> {
    await this.licensing.assertSeatAvailable();
    const membership = await this.people.addMembership(userId, role);
    const email = (await this.people.emailOf(userId))!;
    await this.webhooks.emit('member.added', { member: { userId, email, role } });
    this.realtime.toTenantAfterCommit('members.changed', { userId, change: 'added' });
    return membership;
  }

  /**
   * Just-in-time membership for a person an SSO connection vouched for: the
   * account (made on first sign-in; the IdP confirms the email), a membership
   * here through add() (the seat check), and on later sign-ins the IdP's name
   * and group-mapped role. Owners keep their role: only people make owners.
   */
  async provision(identity: SsoIdentity): Promise<{ user: User; membership: Membership }> {
    const user = await this.people.ensureVouchedUser({
      id: randomUUID(),
      email: identity.email,
      displayName: identity.displayName ?? identity.email.split('@')[0],
    });
    if (user.platformRole !== 'none') throw new AppError(ErrorCode.SSO_PLATFORM_ACCOUNT);
    const changes: { displayName?: string; emailVerifiedAt?: Date } = {};
    if (identity.displayName && identity.displayName !== user.displayName) changes.displayName = identity.displayName;
    if (!user.emailVerifiedAt) changes.emailVerifiedAt = new Date();
    if (Object.keys(changes).length) await this.people.updateUser(user.id, changes);

    const existing = await this.people.membershipOf(user.id);
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
    return { user: Object.assign(user, changes), membership: (await this.people.membershipOf(user.id))! };
  }

  /**
   * The existing account of `email` when an identity provider of this tenant
   * may not simply sign it in: an owner anywhere, or a member of another
   * tenant (the person confirms the link first). Null for a new person, a
   * member of this tenant only, and operators (provision refuses those).
   */
  async accountNeedingLinkConfirmation(email: string): Promise<{ id: string; email: string } | null> {
    const user = await this.people.userByEmail(email);
    if (!user || user.platformRole !== 'none') return null;
    // Every membership, suspended tenants' included: being an owner there counts too.
    const memberships = await this.people.tenantsOf(user.id);
    const elsewhere = memberships.some((ms) => ms.role === 'owner' || ms.tenantId !== this.db.tenantId);
    return elsewhere ? { id: user.id, email: user.email } : null;
  }

  /** Tenants the caller may join by their confirmed email's domain (auto-join), not yet joined. */
  async joinOptions(userId: string): Promise<JoinOption[]> {
    const user = await this.people.userById(userId);
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
      const user = (await this.people.userById(userId))!;
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
    const owners = await this.people.lockOwners();
    const own = await this.people.lockMember({ userId: auth.userId });
    if (!own) throw new AppError(ErrorCode.MEMBER_NOT_FOUND);
    if (own.role === 'owner' && owners <= 1) throw new AppError(ErrorCode.LAST_OWNER);
    await this.delete(own);
    await this.audit.record({ action: 'member.left', target: { type: 'user', id: own.userId, label: own.email } });
    await this.webhooks.emit('member.removed', {
      member: { userId: own.userId, email: own.email, role: own.role },
      left: true,
    });
    this.realtime.toTenantAfterCommit('members.changed', { userId: own.userId, change: 'removed' });
    this.realtime.dropAfterCommit(own.userId);
  }

  /**
   * Loads the target membership for a change to `to` (null: removal), after
   * checking the caller may make it and that an owner would remain.
   */
  private async lockForChange(auth: AuthUser, membershipId: string, to: TenantRole | null): Promise<Member> {
    const owners = await this.people.lockOwners();
    const target = await this.people.lockMember({ membershipId });
    if (!target) throw new AppError(ErrorCode.MEMBER_NOT_FOUND);
    // Removing someone needs the same right as demoting them.
    if (!auth.role || !canAssignRole(auth.role, target.role, to ?? 'viewer'))
      throw new AppError(ErrorCode.FORBIDDEN, { reason: 'only owners can make, change or remove owners' });
    if (target.role === 'owner' && to !== 'owner' && owners <= 1) throw new AppError(ErrorCode.LAST_OWNER);
    return target;
  }

  /** Changes the role and outdates the member's access tokens issued before (their `mv`). */
  private async setRole(membershipId: string, userId: string, role: TenantRole): Promise<void> {
    const version = await this.people.setRole(membershipId, role);
    await this.revocations.membershipChanged(this.db.tenantId, userId, version);
  }

  private async delete(target: Member): Promise<void> {
    await this.people.removeMembership(target.id);
    await this.revocations.membershipChanged(this.db.tenantId, target.userId);
  }
}
