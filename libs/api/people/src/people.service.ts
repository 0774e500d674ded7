import { Injectable } from '@nestjs/common';
import { AppError, decodeCursor, encodeCursor, isUniqueViolation } from '@tenantry/api-core';
import { ErrorCode, type Member, type Page, type PlatformMember, type TenantRole } from '@tenantry/contracts';
import { type InvitationRenewal, InvitationsRepository, type NewInvitation } from './invitations.repository.js';
import { PeopleRepository, type UserChanges } from './people.repository.js';
import { PlatformPeopleRepository, type TenantPeople } from './platform-people.repository.js';
import type { Membership, StoredInvitation, User } from './people.types.js';

/**
 * Who is who and who belongs where: users (global identities), their
 * memberships of the context's tenant and its invitations. Reads and writes
 * only: the rules (seats, roles, the audit log, notices of a change) belong to
 * the callers, so any module may depend on this one.
 */
@Injectable()
export class PeopleService {
  constructor(
    private readonly people: PeopleRepository,
    private readonly invitations: InvitationsRepository,
    private readonly platform: PlatformPeopleRepository,
  ) {}

  userById(id: string): Promise<User | null> {
    return this.people.userById(id);
  }

  userByEmail(email: string): Promise<User | null> {
    return this.people.userByEmail(email);
  }

  /** Users' emails and platform roles by id, in one query (for checks and labels of other modules). */
  async userSummaries(userIds: string[]): Promise<Map<string, Pick<User, 'id' | 'email' | 'platformRole'>>> {
    const users = userIds.length ? await this.people.usersByIds([...new Set(userIds)]) : [];
    return new Map(users.map((u) => [u.id, { id: u.id, email: u.email, platformRole: u.platformRole }]));
  }

  /** The users an export of the context's tenant names, as its archive keeps them (JSON lines, by email), read in its snapshot. */
  usersForExport(ids: string[]): Promise<string[]> {
    return this.people.usersAsJson(ids);
  }

  /** The address of a user, read in the context's transaction (null: no such user). */
  emailOf(userId: string): Promise<string | null> {
    return this.people.emailOf(userId);
  }

  /** A new account (platform role none); EMAIL_TAKEN when the address has one. */
  async createUser(
    user: Pick<User, 'id' | 'email' | 'displayName' | 'passwordHash' | 'emailVerifiedAt'>,
  ): Promise<User> {
    try {
      return await this.people.insertUser({ ...user, platformRole: 'none' });
    } catch (error) {
      if (isUniqueViolation(error)) throw new AppError(ErrorCode.EMAIL_TAKEN);
      throw error;
    }
  }

  /** The account of an address an identity provider vouched for (confirmed, no password), made unless it exists. */
  ensureVouchedUser(user: Pick<User, 'id' | 'email' | 'displayName'>): Promise<User> {
    return this.people.insertUserUnlessExists({
      ...user,
      passwordHash: null,
      platformRole: 'none',
      emailVerifiedAt: new Date(),
    });
  }

  updateUser(id: string, changes: UserChanges): Promise<void> {
    return this.people.updateUser(id, changes);
  }

  /** Sets the password of a reset link, which also confirms the address. */
  setPasswordAfterReset(id: string, passwordHash: string): Promise<void> {
    return this.people.setPasswordAfterReset(id, passwordHash);
  }

  /** The user's membership of the context's tenant. */
  membershipOf(userId: string): Promise<Membership | null> {
    return this.people.membershipOf(userId);
  }

  /** Every tenant the user belongs to (suspended ones included), with their role there. */
  tenantsOf(userId: string): Promise<{ tenantId: string; role: TenantRole }[]> {
    return this.people.tenantsOf(userId);
  }

  /** Makes the user a member of the context's tenant; ALREADY_MEMBER when they are one. */
  async addMembership(userId: string, role: TenantRole): Promise<Membership> {
    try {
      return await this.people.insertMembership(userId, role);
    } catch (error) {
      if (isUniqueViolation(error)) throw new AppError(ErrorCode.ALREADY_MEMBER);
      throw error;
    }
  }

  /** Changes a membership's role; returns its new version (ms), which outdates access tokens issued before. */
  async setRole(membershipId: string, role: TenantRole): Promise<number> {
    return (await this.people.setRole(membershipId, role)).getTime();
  }

  removeMembership(membershipId: string): Promise<void> {
    return this.people.deleteMembership(membershipId);
  }

  /**
   * Locks the tenant's owner rows and counts them. Every change that could
   * remove an owner takes these locks first, in one order, so concurrent
   * changes wait for each other (and never deadlock) before the last-owner check.
   */
  lockOwners(): Promise<number> {
    return this.people.lockOwners();
  }

  /** A member (by membership or by user), locked until the transaction ends; take lockOwners first. */
  lockMember(by: { membershipId: string } | { userId: string }): Promise<Member | null> {
    return this.people.lockMember(by);
  }

  /** The tenant's members, sorted by email; keyset-paginated. */
  async listMembers(query: { q?: string; cursor?: string; limit: number }): Promise<Page<Member>> {
    const after = query.cursor ? decodeCursor('members', query.cursor) : null;
    const rows = await this.people.memberPage(query.q?.trim() || undefined, after, query.limit + 1);
    const items = rows.slice(0, query.limit);
    const last = items.at(-1);
    return {
      items,
      nextCursor: rows.length > query.limit && last ? encodeCursor('members', { key: last.email, id: last.id }) : null,
    };
  }

  /** The tenant's owners by email (billing names the first on the Stripe customer): who hears about what only they may change. */
  async owners(): Promise<{ userId: string; email: string }[]> {
    return (await this.people.membersWithRole(['owner'])).map((m) => ({ userId: m.userId, email: m.email }));
  }

  /** The addresses of the tenant's owners and admins, by email. */
  async adminEmails(): Promise<string[]> {
    return (await this.people.membersWithRole(['owner', 'admin'])).map((m) => m.email);
  }

  /** Whether the address's account is a member of the context's tenant. */
  isMemberByEmail(email: string): Promise<boolean> {
    return this.people.isMemberByEmail(email);
  }

  /** Seats the context's tenant uses: its members and its pending invitations. */
  seatsUsed(): Promise<number> {
    return this.people.seatsUsed();
  }

  /** The context tenant's members with their platform role (all, or one user's), by email; 500 at most. */
  platformMembers(userId?: string): Promise<PlatformMember[]> {
    return this.people.platformMembers(userId ?? null);
  }

  /** Members per tenant, across every tenant and database (platform console; tenants without members left out). */
  memberCountsPerTenant(): Promise<{ tenantId: string; members: number }[]> {
    return this.platform.memberCounts();
  }

  /** Tenants, in any database, one of whose owners' email matches the ILIKE `pattern` (platform console search). */
  tenantsWithOwnerMatching(pattern: string): Promise<string[]> {
    return this.platform.tenantsWithOwnerMatching(pattern);
  }

  /** Each tenant's member count and first owner, read where it lives (platform console; 0 and null for none). */
  async peopleOfTenants(tenantIds: string[]): Promise<Map<string, TenantPeople>> {
    const found = tenantIds.length ? await this.platform.peopleOf(tenantIds) : new Map<string, TenantPeople>();
    return new Map(tenantIds.map((id) => [id, found.get(id) ?? { members: 0, ownerEmail: null }]));
  }

  /** The distinct users who are members of any of `tenantIds`, in any database (platform statistics). */
  membersOfTenants(tenantIds: string[]): Promise<string[]> {
    return this.platform.membersOf(tenantIds);
  }

  invitationById(id: string): Promise<StoredInvitation | null> {
    return this.invitations.byId(id);
  }

  /** The open (not accepted or revoked) invitation of an address, locked until the transaction ends. */
  lockOpenInvitationFor(email: string): Promise<StoredInvitation | null> {
    return this.invitations.lockOpenFor(email);
  }

  /** The invitation of a link's token hash; `lock` holds it until the transaction ends. */
  invitationByTokenHash(tokenHash: Buffer, lock: boolean): Promise<StoredInvitation | null> {
    return this.invitations.byTokenHash(tokenHash, lock);
  }

  /** Open invitations (pending or expired, not accepted or revoked), newest first; 500 at most. */
  openInvitations(): Promise<StoredInvitation[]> {
    return this.invitations.listOpen();
  }

  createInvitation(invitation: NewInvitation): Promise<StoredInvitation> {
    return this.invitations.insert(invitation);
  }

  /** A sent-again invitation: new token, role, sender and validity. */
  renewInvitation(id: string, renewal: InvitationRenewal): Promise<StoredInvitation> {
    return this.invitations.renew(id, renewal);
  }

  /** Accepted by `userId`: the seat it held passes to their membership. */
  markInvitationAccepted(id: string, userId: string): Promise<void> {
    return this.invitations.markAccepted(id, userId);
  }

  markInvitationRevoked(id: string): Promise<void> {
    return this.invitations.markRevoked(id);
  }
}
